import type { OtaBenchRow } from './bench-case';
import { medianRatio, ratio } from './report-table';

function row(floorMs: number, completed: number, passesMs: (number | undefined)[]): OtaBenchRow {
  const measured = passesMs.filter((ms): ms is number => ms !== undefined);
  return {
    broker: 'aedes',
    devices: 10,
    chunkSize: 8192,
    modelBytes: 1000,
    floor: { ms: floorMs, completed, payloadMBps: 1, wireRatio: 1, runsMs: [floorMs], brokerPeakMiB: 1 },
    system: { ms: Math.min(...measured), passesMs } as OtaBenchRow['system'],
  };
}

describe('OTA benchmark ratios', () => {
  it('compares the fastest and the median measured pass with the fastest floor pass', () => {
    const r = row(1000, 10, [2900, 2100, 4000]);
    expect(ratio(r)).toBeCloseTo(2.1);
    expect(medianRatio(r)).toBeCloseTo(2.9);
    expect(medianRatio(row(1000, 10, [2000, 3000]))).toBeCloseTo(2.5);
  });

  it('has no ratio when the floor did not finish or no pass did', () => {
    expect(medianRatio(row(1000, 9, [2000]))).toBeUndefined();
    expect(medianRatio(row(1000, 10, [undefined]))).toBeUndefined();
  });
});
