/**
 * GET /api/artifacts/:id/firmware: the server packs exactly what `fleetprune firmware` renders
 * (checked by unpacking with the system tar and comparing byte for byte and mode for mode).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { RunningServer } from '../apps/server/src/create-server';
import { ArtifactsService } from '../apps/server/src/artifacts/artifacts.service';
import { api, startServer, tempDataDir } from './helpers';
import { cli } from './support/cli-runner';

jest.setTimeout(60_000);

const MODEL = join(__dirname, '../../shared/testdata/tflite/hello_world_int8.tflite');

/** Every file under `root` with its bytes and permission bits, keyed by relative path. */
function tree(root: string, dir = root, out = new Map<string, { bytes: Buffer; mode: number }>()) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) tree(root, full, out);
    else out.set(relative(root, full), { bytes: readFileSync(full), mode: statSync(full).mode & 0o777 });
  }
  return out;
}

describe('firmware bundle download (real server, system tar, the CLI renderer)', () => {
  const dataDir = tempDataDir('fleetprune-bundle-');
  const work = tempDataDir('fleetprune-bundle-out-');
  let server: RunningServer;
  let call: ReturnType<typeof api>;
  let artifactId: string;

  const download = (path: string) =>
    fetch(`${server.httpUrl}${path}`, { headers: { authorization: `Bearer ${server.token}` } });

  beforeAll(async () => {
    server = await startServer(dataDir);
    call = api(server);
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(readFileSync(MODEL))]), 'hello.tflite');
    form.append('modelVersion', 'hello-1');
    const uploaded = await call('POST', '/api/artifacts', form);
    expect(uploaded.status).toBe(201);
    artifactId = uploaded.json.id;
  });
  afterAll(async () => {
    await server?.app.close();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  });

  it.each(['esp32', 'rpi'])(
    '%s: the archive unpacks to what `fleetprune firmware` writes',
    async (target) => {
      const response = await download(`/api/artifacts/${artifactId}/firmware?target=${target}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/gzip');
      const folder = `${artifactId}-${target}-firmware`;
      expect(response.headers.get('content-disposition')).toBe(`attachment; filename="${folder}.tar.gz"`);
      const archive = join(work, `${folder}.tar.gz`);
      writeFileSync(archive, Buffer.from(await response.arrayBuffer()));
      const unpacked = join(work, `unpacked-${target}`);
      mkdirSync(unpacked);
      execFileSync('tar', ['-xzf', archive, '-C', unpacked]);
      expect(readdirSync(unpacked)).toEqual([folder]);

      const rendered = join(work, `cli-${target}`);
      const args = ['--server', server.httpUrl, '--token', server.token];
      const run = await cli(
        'firmware',
        '--artifact',
        artifactId,
        '--target',
        target,
        '--out',
        rendered,
        ...args,
      );
      expect(run.err).toContain('rendered');
      expect(run.code).toBe(0);

      const fromServer = tree(join(unpacked, folder));
      const fromCli = tree(rendered);
      expect([...fromServer.keys()].sort()).toEqual([...fromCli.keys()].sort());
      for (const [path, file] of fromCli) {
        const other = fromServer.get(path)!;
        expect(`${path} ${other.bytes.equals(file.bytes)}`).toBe(`${path} true`);
        expect(`${path} ${other.mode.toString(8)}`).toBe(`${path} ${file.mode.toString(8)}`);
      }
      // The archive is the bytes the device needs: the model and the server's broker and key.
      const provisioning = (await call('GET', '/api/ota/provisioning')).json;
      const modelFile = target === 'rpi' ? 'state/slot-a.tflite' : 'main/generated/model_data.cc';
      expect(fromServer.has(modelFile)).toBe(true);
      const configFile = target === 'rpi' ? 'config.json' : 'main/generated/fp_config.h';
      expect(fromServer.get(configFile)!.bytes.toString()).toContain(provisioning.mqttUrl);
      if (target === 'rpi')
        expect(fromServer.get('signing-public.pem')!.bytes.toString().trim()).toBe(
          provisioning.publicKeyPem.trim(),
        );
    },
  );

  it('answers the same archive twice (reproducible) and lists it with tar -tzf', async () => {
    const path = `/api/artifacts/${artifactId}/firmware?target=rpi`;
    const [a, b] = await Promise.all([download(path), download(path)]);
    const first = Buffer.from(await a.arrayBuffer());
    expect(first.equals(Buffer.from(await b.arrayBuffer()))).toBe(true);
    const archive = join(work, 'again.tar.gz');
    writeFileSync(archive, first);
    const listed = execFileSync('tar', ['-tzf', archive], { encoding: 'utf8' });
    expect(listed).toContain(`${artifactId}-rpi-firmware/fleetprune_agent/agent.py`);
  });

  it('400 for a bad or missing target and for an artifact that is not tflite, 404 for an unknown one', async () => {
    const bad = await call('GET', `/api/artifacts/${artifactId}/firmware?target=arduino`);
    expect(bad.status).toBe(400);
    expect(bad.json.message).toMatch(/target must be one of esp32, rpi.*arduino/);
    expect((await call('GET', `/api/artifacts/${artifactId}/firmware`)).status).toBe(400);

    const report = await server.app
      .get(ArtifactsService)
      .create('report', [{ name: 'report.json', bytes: Buffer.from('{}') }], {}, async (_em, a) => a);
    const notTflite = await call('GET', `/api/artifacts/${report.id}/firmware?target=esp32`);
    expect(notTflite.status).toBe(400);
    expect(notTflite.json.message).toMatch(/is a report artifact; firmware embeds a tflite artifact/);

    const unknown = await call(
      'GET',
      '/api/artifacts/00000000-0000-4000-8000-000000000000/firmware?target=rpi',
    );
    expect(unknown.status).toBe(404);
    const noProfile = await call('GET', `/api/artifacts/${artifactId}/firmware?target=rpi&profile=nope`);
    expect(noProfile.status).toBe(404);
  });
});
