import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeviceStateStore } from './device-state-store';

describe(DeviceStateStore.name, () => {
  const root = mkdtempSync(join(tmpdir(), 'fleetprune-store-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('reads nothing before anything is written, and creates no folder by reading', () => {
    const store = new DeviceStateStore(root, 'fresh', false);
    expect(store.readMarker()).toEqual({ active: null, slots: {} });
    expect(store.readDownload()).toBeUndefined();
    expect(store.readSlot('a')).toBeUndefined();
    expect(store.readSlotPrefix('b', 10)).toHaveLength(0);
  });

  it('writes again after its folder was deleted behind its back (a reset)', () => {
    const store = new DeviceStateStore(root, 'reset', false);
    store.writeMarker({ active: 'a', slots: {} });
    const writer = store.openSlotWriter('a', false);
    writer.write(0, Buffer.from('model'));
    writer.close();
    rmSync(store.dir, { recursive: true });
    expect(store.readMarker().active).toBeNull();
    store.writeMarker({ active: 'b', slots: {} });
    expect(store.readMarker().active).toBe('b');
    const again = store.openSlotWriter('a', true);
    again.write(0, Buffer.from('fresh'));
    again.close();
    expect(store.readSlot('a')?.toString()).toBe('fresh');
  });

  it('names a corrupt record and how to recover', () => {
    const store = new DeviceStateStore(root, 'corrupt', false);
    store.writeCounters({ telemetrySeq: 1, samplesSeq: 2 });
    writeFileSync(join(store.dir, 'counters.json'), '{"telemetrySeq": 1,');
    expect(() => store.readCounters()).toThrow(/counters\.json is not readable JSON .*delete it to reset/);
  });
});
