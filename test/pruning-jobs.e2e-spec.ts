import '@tensorflow/tfjs-backend-cpu';
import { serializeLayersModel } from '@fleetprune/tfjs-runtime';
import { readModel } from '@fleetprune/tflite';
import { main } from '../apps/cli/src/main';
import type { RunningServer } from '../apps/server/src/create-server';
import { api, eventually, smallCnn, startServer, tempDataDir } from './helpers';

jest.setTimeout(180_000);

/** Uploads an untrained small CNN; returns the model id. */
async function uploadSmallCnn(server: RunningServer): Promise<string> {
  const model = smallCnn(16);
  const form = new FormData();
  form.append('name', 'small-cnn');
  form.append('dataset', 'fashion-mnist');
  for (const file of await serializeLayersModel(model))
    form.append('files', new Blob([new Uint8Array(file.bytes)]), file.name);
  const answer = await api(server)('POST', '/api/models', form);
  expect(answer.status).toBe(201);
  return answer.json.model.id;
}

describe('pruning jobs (worker thread, persisted state, artifacts)', () => {
  const dataDir = tempDataDir();
  let server: RunningServer;

  afterAll(async () => server?.app.close());

  it('validates a job request', async () => {
    server = await startServer(dataDir);
    const call = api(server);
    expect((await call('POST', '/api/pruning-jobs', { profiles: ['esp32'] })).json.message).toMatch(
      /give "model"/,
    );
    const bad = await call('POST', '/api/pruning-jobs', {
      model: 'x',
      profiles: [],
      targetParams: 2,
      minKeepFraction: 1,
    });
    expect(bad.status).toBe(400);
    expect(bad.json.message.join('\n')).toMatch(
      /model must be a UUID[\s\S]*profiles must contain at least 1[\s\S]*targetParams must not be greater than 1[\s\S]*minKeepFraction must not be greater than 0.95/,
    );
  });

  it('prunes in a worker while the API stays responsive, and stores the results as artifacts', async () => {
    const modelId = await uploadSmallCnn(server);
    const call = api(server);
    const created = await call('POST', '/api/pruning-jobs', {
      model: modelId,
      profiles: ['esp32'],
      targetParams: 0.5,
      epochs: 0.3,
      trainLimit: 600,
      testLimit: 300,
      seed: 3,
      minKeepFraction: 0.4,
    });
    expect(created.status).toBe(201);
    const jobId = created.json.id;

    let maxHealthMs = 0;
    let sawProgress = false;
    await eventually(async () => {
      const started = Date.now();
      expect((await call('GET', '/health')).status).toBe(200);
      maxHealthMs = Math.max(maxHealthMs, Date.now() - started);
      const job = (await call('GET', `/api/pruning-jobs/${jobId}`)).json;
      sawProgress ||= job.progress !== null;
      if (job.status === 'failed') throw new Error(job.error);
      return job.status === 'succeeded';
    }, 150_000);
    // Training runs in the worker, so the event loop answering HTTP is never blocked for long.
    expect(maxHealthMs).toBeLessThan(1000);
    expect(sawProgress).toBe(true);

    const job = (await call('GET', `/api/pruning-jobs/${jobId}`)).json;
    expect(job.attempts).toBe(1);
    const [result] = job.results;
    expect(result.profile).toBe('esp32');
    expect(result.fits).toBe(true);
    expect(result.report.params.after).toBeLessThanOrEqual(result.report.params.before * 0.5 + 1);
    for (const w of result.report.widths as { before: number; after: number }[])
      expect(w.after).toBeGreaterThanOrEqual(Math.ceil(0.4 * w.before));

    const model = (await call('GET', `/api/models/${modelId}`)).json;
    expect(model.versions.map((v: { version: number }) => v.version)).toEqual([1, 2]);
    expect(model.versions[1].parentVersionId).toBe(model.versions[0].id);

    const artifact = (await call('GET', `/api/artifacts/${result.artifactId}`)).json;
    expect(artifact.kind).toBe('tflite');
    expect(artifact.files.map((f: { name: string }) => f.name).sort()).toEqual([
      'model.tflite',
      'model_data.cc',
      'model_data.h',
      'op_resolver.h',
      'report.json',
    ]);
    const download = await fetch(`${server.httpUrl}/api/artifacts/${result.artifactId}/files/model.tflite`, {
      headers: { authorization: `Bearer ${server.token}` },
    });
    const tflite = readModel(new Uint8Array(await download.arrayBuffer()));
    expect(tflite.subgraphs[0].tensors[tflite.subgraphs[0].inputs[0]].type).toBe('INT8');

    // The CLI contract: `jobs show <id> --wait` exits 0 and prints the artifact id last.
    const lines: string[] = [];
    const log = jest
      .spyOn(console, 'log')
      .mockImplementation((...a: unknown[]) => void lines.push(a.join(' ')));
    try {
      await main([
        'node',
        'fleetprune',
        'jobs',
        'show',
        jobId,
        '--wait',
        '--server',
        server.httpUrl,
        '--token',
        server.token,
      ]);
    } finally {
      log.mockRestore();
    }
    expect(process.exitCode ?? 0).toBe(0);
    expect(lines[lines.length - 1]).toBe(result.artifactId);
  });

  it('queues a job that was running when the server stopped and finishes it after the restart', async () => {
    const models = (await api(server)('GET', '/api/models')).json;
    const created = await api(server)('POST', '/api/pruning-jobs', {
      model: models[0].id,
      profiles: ['rpi-4'],
      targetParams: 0.7,
      epochs: 0.2,
      trainLimit: 400,
      testLimit: 200,
    });
    const jobId = created.json.id;
    await eventually(
      async () => (await api(server)('GET', `/api/pruning-jobs/${jobId}`)).json.status === 'running',
      30_000,
    );
    await server.app.close();

    server = await startServer(dataDir);
    await eventually(async () => {
      const job = (await api(server)('GET', `/api/pruning-jobs/${jobId}`)).json;
      if (job.status === 'failed') throw new Error(job.error);
      return job.status === 'succeeded';
    }, 150_000);
    const job = (await api(server)('GET', `/api/pruning-jobs/${jobId}`)).json;
    expect(job.attempts).toBe(2);
    expect(job.results[0].profile).toBe('rpi-4');
  });
});
