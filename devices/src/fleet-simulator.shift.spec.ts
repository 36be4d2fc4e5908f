import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSigningKey } from '@fleetprune/protocol';
import { builtinDeviceProfile, DeviceProfileSpec } from '@fleetprune/tflite';
import { FleetSimulator, FleetSimulatorOptions } from './fleet-simulator';
import { SampleSource } from './sample-source';
import { ShiftSpec } from './shift-spec';
import { startTestBroker, TestBroker } from './testing/test-broker';

describe(`${FleetSimulator.name} shift`, () => {
  let broker: TestBroker;
  let stateDir: string;
  const keys = generateSigningKey();

  beforeAll(async () => {
    broker = await startTestBroker();
    stateDir = mkdtempSync(join(tmpdir(), 'fleetprune-shift-'));
  });
  afterAll(async () => {
    await broker.close();
    rmSync(stateDir, { recursive: true, force: true });
  });

  function fleet(samples: SampleSource, extra: Partial<FleetSimulatorOptions>): FleetSimulator {
    return new FleetSimulator({
      mqttUrl: broker.url,
      publicKeyPem: keys.publicKeyPem,
      devices: [0, 1, 2].map((i) => ({ deviceId: `shift-${i}-${Date.now()}`, password: 'x' })),
      profile: builtinDeviceProfile('esp32') as DeviceProfileSpec,
      stateDir,
      samples,
      agentOptions: { durable: false },
      ...extra,
    });
  }

  it('starts the shift at the time given after start, on the source every agent reads', async () => {
    // Far enough out that three connects finish first even on a loaded CI machine (a start
    // took 639 ms once while a 400 ms shift was asked for).
    const shiftMs = 1500;
    const source = SampleSource.fromDataset('fashion-mnist');
    const seen: { spec: ShiftSpec | undefined; atMs: number; wall: number }[] = [];
    const spec: ShiftSpec = { kind: 'classes', classes: [6, 2, 4], share: 1 };
    const sim = fleet(source, {
      shift: { atMs: shiftMs, spec },
      onShift: (s, atMs) => seen.push({ spec: s, atMs, wall: Date.now() }),
    });
    const t0 = Date.now();
    await sim.start();
    try {
      expect(Date.now() - t0).toBeLessThan(shiftMs); // three connects, before the shift
      expect(seen).toHaveLength(0);
      expect(source.shift).toBeUndefined();
      const before = Array.from({ length: 300 }, (_, i) => source.at(i).label);
      expect(new Set(before).size).toBe(10);
      const deadline = Date.now() + 5000;
      while (seen.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      expect(seen).toHaveLength(1);
      expect(seen[0].spec).toEqual(spec);
      expect(seen[0].atMs).toBeGreaterThanOrEqual(shiftMs);
      expect(seen[0].atMs).toBeLessThan(shiftMs + 1000);
      expect(seen[0].wall - t0).toBeGreaterThanOrEqual(shiftMs);
      const after = new Set(Array.from({ length: 300 }, (_, i) => source.at(i).label));
      expect([...after].sort()).toEqual([2, 4, 6]);
      sim.setShift(undefined); // immediate, and reported too
      expect(seen[1].spec).toBeUndefined();
      expect(source.shift).toBeUndefined();
    } finally {
      await sim.stop();
    }
  });

  it('clears a pending shift on stop and refuses bad shifts up front', async () => {
    const source = SampleSource.fromDataset('fashion-mnist');
    const seen: unknown[] = [];
    const sim = fleet(source, {
      shift: { atMs: 300, spec: { kind: 'noise', stddev: 0.3 } },
      onShift: (s) => seen.push(s),
    });
    await sim.start();
    await sim.stop();
    await new Promise((r) => setTimeout(r, 500));
    expect(seen).toHaveLength(0);
    expect(source.shift).toBeUndefined();
    expect(() =>
      fleet(source, { shift: { atMs: 10, spec: { kind: 'classes', classes: [12], share: 1 } } }),
    ).toThrow(/class 12 is out of range for a dataset of 10 classes/);
    expect(() => fleet(source, { shift: { atMs: -1, spec: { kind: 'noise', stddev: 0.1 } } })).toThrow(
      /atMs/,
    );
  });
});
