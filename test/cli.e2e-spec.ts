import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { saveLayersModel } from '@fleetprune/tfjs-runtime';
import { buildProgram, main } from '../apps/cli/src/main';
import type { RunningServer } from '../apps/server/src/create-server';
import { startServer, tempDataDir } from './helpers';

jest.setTimeout(60_000);

/** Runs the CLI in-process and captures what it prints. */
async function cli(...args: string[]): Promise<{ out: string; err: string; code: number }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = jest.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  const error = jest
    .spyOn(console, 'error')
    .mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
  process.exitCode = 0;
  try {
    await main(['node', 'fleetprune', ...args]);
    return { out: out.join('\n'), err: err.join('\n'), code: Number(process.exitCode ?? 0) };
  } finally {
    log.mockRestore();
    error.mockRestore();
    process.exitCode = 0;
  }
}

describe('fleetprune CLI against a running server', () => {
  let server: RunningServer;
  let auth: string[];

  beforeAll(async () => {
    server = await startServer(tempDataDir());
    auth = ['--server', server.httpUrl, '--token', server.token];
  });
  afterAll(async () => server?.app.close());

  it('lists every command in --help', () => {
    const help = buildProgram().helpInformation();
    for (const command of ['health', 'devices', 'profiles', 'models', 'inspect', 'run', 'eval'])
      expect(help).toContain(command);
  });

  it('registers, lists and filters devices', async () => {
    const registered = await cli(
      'devices',
      'register',
      'cli-cam',
      '--profile',
      'esp32',
      '--tag',
      'a',
      'b',
      ...auth,
    );
    expect(registered.code).toBe(0);
    const answer = JSON.parse(registered.out);
    expect(answer.mqtt.username).toBe(answer.id);
    const listed = await cli('devices', 'list', '--tag', 'b', ...auth);
    expect(listed.out).toMatch(/cli-cam\s+esp32/);
    expect((await cli('devices', 'list', '--profile', 'rpi-4', ...auth)).out).toBe('(none)');
    expect((await cli('profiles', 'list', ...auth)).out).toMatch(/esp32-s3\s+tflite-micro\s+3072 KiB/);
  });

  it('uploads a model from disk and prints its id last', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fp-cli-model-'));
    const model = tfl.sequential();
    model.add(tfl.layers.dense({ inputShape: [8], units: 2 }));
    await saveLayersModel(model, join(dir, 'tiny'));
    const uploaded = await cli('models', 'upload', join(dir, 'tiny', 'model.json'), ...auth);
    expect(uploaded.code).toBe(0);
    expect(uploaded.out).toMatch(/^[0-9a-f-]{36}$/);
    expect((await cli('models', 'list', ...auth)).out).toContain(uploaded.out);
  });

  it('inspects an official TFLite Micro model', async () => {
    const file = join(__dirname, '..', '..', 'shared', 'testdata', 'tflite', 'person_detect.tflite');
    const shown = await cli('inspect', file, '--json');
    expect(shown.code).toBe(0);
    const summary = JSON.parse(shown.out);
    expect(summary.flashBytes).toBe(300568);
    expect(summary.ops.map((o: { op: string }) => o.op).sort()).toEqual([
      'AVERAGE_POOL_2D',
      'CONV_2D',
      'DEPTHWISE_CONV_2D',
      'RESHAPE',
      'SOFTMAX',
    ]);
    // TFLM's own arena_used_bytes is 85,024; the estimate must not be below it nor 10% above.
    expect(summary.arenaBytes).toBeGreaterThanOrEqual(85024);
    expect(summary.arenaBytes).toBeLessThanOrEqual(85024 * 1.1);
    const bad = await cli('inspect', __filename);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/TFLite: not a TFLite model/);
  });

  it("runs an official model on a raw input and writes TFLite Micro's output", async () => {
    const testdata = join(__dirname, '..', '..', 'shared', 'testdata', 'tflite');
    const out = join(mkdtempSync(join(tmpdir(), 'fp-run-')), 'out.raw');
    const ran = await cli(
      'run',
      join(testdata, 'person_detect.tflite'),
      '--input',
      join(testdata, 'no_person_image_int8.raw'),
      '--output',
      out,
    );
    expect(ran.code).toBe(0);
    expect(ran.out).toMatch(/INT8 \[1,2\]: 57, -57$/);
    expect(Array.from(new Int8Array(readFileSync(out)))).toEqual([57, -57]);
  });

  it('explains a wrong token and an unreachable server', async () => {
    const wrong = await cli('devices', 'list', '--server', server.httpUrl, '--token', 'x'.repeat(20));
    expect(wrong.code).toBe(1);
    expect(wrong.err).toMatch(/401 operator token is wrong \(pass --token/);
    const down = await cli('health', '--server', 'http://127.0.0.1:9', '--token', 't');
    expect(down.err).toMatch(/cannot reach the fleetprune server at http:\/\/127.0.0.1:9/);
  });
});
