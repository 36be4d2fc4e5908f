import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { loadFashionMnist, take, toFloat01 } from '@fleetprune/datasets';
import { saveLayersModel, selectBackend } from '@fleetprune/tfjs-runtime';
import { buildProgram } from '../apps/cli/src/main';
import { cli } from './support/cli-runner';
import type { RunningServer } from '../apps/server/src/create-server';
import { smallCnn, startServer, tempDataDir } from './helpers';

jest.setTimeout(60_000);

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
    for (const command of ['health', 'devices', 'profiles', 'models', 'export', 'inspect', 'run', 'eval'])
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

  it('exports a trained model to int8 TFLite Micro files and evaluates them', async () => {
    await selectBackend();
    const { train, test } = loadFashionMnist();
    const small = take(train, 3000);
    const model = smallCnn();
    model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
    const x = tf.tensor4d(toFloat01(small), [small.count, 28, 28, 1]);
    const y = tf.tensor1d(Array.from(small.labels), 'float32');
    // Seeded weights and no shuffling: the same model, and the same accuracies, on every run.
    await model.fit(x, y, { epochs: 2, batchSize: 64, verbose: 0, shuffle: false });
    x.dispose();
    y.dispose();
    const dir = mkdtempSync(join(tmpdir(), 'fp-export-'));
    await saveLayersModel(model, join(dir, 'float'));

    const exported = await cli(
      'export',
      '--model',
      join(dir, 'float', 'model.json'),
      '--dataset',
      'fashion-mnist',
      '--out',
      join(dir, 'int8'),
      '--name',
      'fmnist_small',
    );
    expect(exported.code).toBe(0);
    expect(exported.out).toMatch(/ops CONV_2D FULLY_CONNECTED MAX_POOL_2D RESHAPE SOFTMAX/);
    for (const file of ['model.tflite', 'model_data.h', 'model_data.cc', 'op_resolver.h', 'report.json']) {
      expect(existsSync(join(dir, 'int8', file))).toBe(true);
    }
    const evaluated = await cli(
      'eval',
      join(dir, 'int8', 'model.tflite'),
      '--dataset',
      'fashion-mnist',
      '--limit',
      '300',
      '--json',
    );
    expect(evaluated.code).toBe(0);
    const int8 = JSON.parse(evaluated.out);
    expect(int8.images).toBe(300);
    // The float model's accuracy on the same images: int8 must stay close to it.
    const first = take(test, 300);
    const probs = model.predict(tf.tensor4d(toFloat01(first), [300, 28, 28, 1])) as tf.Tensor;
    const predicted = await tf.argMax(probs, -1).data();
    const floatAccuracy = Array.from(predicted).filter((p, i) => p === first.labels[i]).length / 300;
    expect(floatAccuracy).toBeGreaterThan(0.6);
    // At most 6 of the 300 images (2 points); the epsilon absorbs 6/300's rounding.
    expect(Math.abs(int8.accuracy - floatAccuracy)).toBeLessThanOrEqual(0.02 + 1e-9);
  });

  it('explains a wrong token and an unreachable server', async () => {
    const wrong = await cli('devices', 'list', '--server', server.httpUrl, '--token', 'x'.repeat(20));
    expect(wrong.code).toBe(1);
    expect(wrong.err).toMatch(/401 operator token is wrong \(pass --token/);
    const down = await cli('health', '--server', 'http://127.0.0.1:9', '--token', 't');
    expect(down.err).toMatch(/cannot reach the fleetprune server at http:\/\/127.0.0.1:9/);
  });
});
