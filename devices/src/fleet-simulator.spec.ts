import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSigningKey, parseFieldSamples, SigningKeyPair } from '@fleetprune/protocol';
import {
  builtinDeviceProfile,
  DeviceProfileSpec,
  Interpreter,
  MicroExport,
  readModel,
} from '@fleetprune/tflite';
import { FleetSimulator } from './fleet-simulator';
import { SampleSource } from './sample-source';
import { trainFashionModel } from './testing/fashion-model';
import { OtaResponder } from './testing/ota-responder';
import { startTestBroker, TestBroker } from './testing/test-broker';

const DEVICES = 12;

describe(FleetSimulator.name, () => {
  let broker: TestBroker;
  let server: OtaResponder;
  let keys: SigningKeyPair;
  let stateDir: string;
  let source: SampleSource;
  let exported: MicroExport;

  beforeAll(async () => {
    broker = await startTestBroker();
    server = await OtaResponder.start(broker.url);
    keys = generateSigningKey();
    stateDir = mkdtempSync(join(tmpdir(), 'fleetprune-fleet-'));
    source = SampleSource.fromDataset('fashion-mnist', { shuffleSeed: 7 });
    exported = await trainFashionModel(SampleSource.fromDataset('fashion-mnist', { split: 'train' }).set);
  }, 60_000);

  afterAll(async () => {
    await server.close();
    await broker.close();
    rmSync(stateDir, { recursive: true, force: true });
  });

  it('activates one model on every device, parses it once, and reports exact telemetry', async () => {
    const fleet = new FleetSimulator({
      mqttUrl: broker.url,
      publicKeyPem: keys.publicKeyPem,
      devices: Array.from({ length: DEVICES }, (_, i) => ({ deviceId: `fleet-${i}`, password: 'x' })),
      profile: builtinDeviceProfile('esp32') as DeviceProfileSpec,
      personality: 'esp32',
      stateDir,
      samples: source,
      inferenceIntervalMs: 5,
      telemetryIntervalMs: 150,
      connectsPerSecond: 200,
      agentOptions: { durable: false },
    });
    const started = await fleet.start();
    expect(started).toMatchObject({ connected: DEVICES, failed: [] });
    const { report, tflite } = exported;
    for (const agent of fleet.agents)
      await server.offer(agent.deviceId, tflite, keys.privateKeyPem, {
        artifactId: 'fmnist-1',
        arenaBytes: report.arenaBytes32,
        ops: report.ops,
      });
    await fleet.waitFor((s) => s.activeByArtifact['fmnist-1'] === DEVICES, 20_000);
    // One parse for the whole fleet; every other activation was a cache hit.
    expect(fleet.modelCache.misses).toBe(1);
    expect(fleet.modelCache.hits).toBeGreaterThanOrEqual(DEVICES - 1);

    await fleet.waitFor((s) => s.inferences >= DEVICES * 30, 20_000);
    const sampler = fleet.agents[3];
    await server.command(sampler.deviceId, {
      v: 1,
      id: 'up-1',
      type: 'upload-samples',
      max: 4,
      misclassifiedOnly: true,
    });
    await eventually(() => server.samples.length === 1);
    await fleet.stop();
    const summary = fleet.summary();
    expect(summary).toMatchObject({ devices: DEVICES, connected: 0, activated: DEVICES, failed: 0 });
    await eventually(() => sum(server.telemetry.map((t) => t.window.samples)) === summary.inferences);

    // The agent's counts against an independent run of the same samples through the model.
    const oracle = independentClassifier(tflite);
    const spread = Math.floor(source.count / DEVICES);
    let correct = 0;
    let labelled = 0;
    for (const [i, agent] of fleet.agents.entries()) {
      const windows = server.telemetry.filter((t) => t.deviceId === agent.deviceId).map((t) => t.window);
      expect(windows.map((w) => w.seq)).toEqual(windows.map((_, k) => k));
      const n = agent.counters.inferences;
      expect(sum(windows.map((w) => w.samples))).toBe(n);
      let expected = 0;
      for (let k = 0; k < n; k++) {
        const sample = source.at(i * spread + k);
        if (oracle(sample.pixels) === sample.label) expected++;
      }
      expect(sum(windows.map((w) => w.correct))).toBe(expected);
      expect(sum(windows.map((w) => w.labelled))).toBe(n);
      for (const w of windows) expect(sum(w.confidenceHistogram)).toBe(w.samples);
      correct += expected;
      labelled += n;
    }
    expect(correct / labelled).toBeGreaterThan(0.5); // a trained model, not chance (0.1)

    const uploaded = parseFieldSamples(server.samples[0].payload);
    expect(uploaded.items.length).toBeGreaterThan(0);
    expect(uploaded.items.length).toBeLessThanOrEqual(4);
    for (const item of uploaded.items) {
      expect(item.label).not.toBe(item.predicted);
      expect(item.shape).toEqual([28, 28, 1]);
    }
  }, 60_000);
});

/** Quantizes x/255 with the model's input parameters and takes the argmax, written apart from Classifier. */
function independentClassifier(tflite: Uint8Array): (pixels: Uint8Array) => number {
  const interpreter = new Interpreter(readModel(tflite)).allocate();
  const { scale, zeroPoint } = interpreter.inputInfo(0);
  return (pixels) => {
    const q = Int8Array.from(pixels, (p) =>
      Math.max(-128, Math.min(127, Math.round(p / 255 / scale[0]) + zeroPoint[0])),
    );
    const [out] = interpreter.invokeAll([q]);
    let best = 0;
    for (let i = 1; i < out.length; i++) if (out[i] > out[best]) best = i;
    return best;
  };
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

async function eventually(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out waiting for a condition');
    await new Promise((r) => setTimeout(r, 10));
  }
}
