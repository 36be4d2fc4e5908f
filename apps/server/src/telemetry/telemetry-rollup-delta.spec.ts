import { aggregateWindows, mergeDelta, RollupInput, windowDelta } from './telemetry-rollup-delta';

/** A deterministic pseudo-random window (no fixed answers: totals are recomputed below). */
function window(i: number, deviceId: string, artifactId: string, receivedAt: number): RollupInput {
  const samples = (i * 7) % 23;
  const labelled = Math.floor(samples / 2);
  const histogram = Array.from({ length: 10 }, () => 0);
  for (let s = 0; s < samples; s++) histogram[(s * 3 + i) % 10]++;
  return {
    deviceId,
    artifactId,
    modelVersion: 'v1',
    profile: 'rpi-4',
    receivedAt,
    samples,
    labelled,
    correct: Math.floor(labelled / 3),
    latencyMeanMs: 1 + (i % 5) * 0.25,
    latencyP95Ms: 2 + (i % 7),
    arenaUsedBytes: 1000 + (i % 4) * 10,
    confidenceHistogram: histogram,
  };
}

describe('rollup aggregation', () => {
  const bucketMs = 60_000;
  const windows = Array.from({ length: 200 }, (_, i) =>
    window(i, `d${i % 3}`, `a${i % 2}`, 1_764_250_000_000 + i * 1_700),
  );

  it('sums each (bucket, device, artifact) in memory exactly as the raw windows add up', () => {
    const deltas = aggregateWindows(windows, bucketMs);
    const keys = new Set(deltas.map((d) => `${d.bucketStart}/${d.deviceId}/${d.artifactId}`));
    expect(keys.size).toBe(deltas.length);
    for (const d of deltas) {
      const mine = windows.filter(
        (w) =>
          w.deviceId === d.deviceId &&
          w.artifactId === d.artifactId &&
          Math.floor(w.receivedAt / bucketMs) * bucketMs === d.bucketStart,
      );
      expect(d.windows).toBe(mine.length);
      expect(d.samples).toBe(mine.reduce((a, w) => a + w.samples, 0));
      expect(d.correct).toBe(mine.reduce((a, w) => a + w.correct, 0));
      expect(d.latencySumMs).toBeCloseTo(
        mine.reduce((a, w) => a + w.latencyMeanMs * w.samples, 0),
        9,
      );
      expect(d.latencyP95MaxMs).toBe(Math.max(...mine.map((w) => w.latencyP95Ms)));
      expect(d.arenaMaxBytes).toBe(Math.max(...mine.map((w) => w.arenaUsedBytes)));
      expect(d.confidenceHistogram.reduce((a, b) => a + b, 0)).toBe(d.samples);
    }
    expect(deltas.reduce((a, d) => a + d.windows, 0)).toBe(windows.length);
  });

  it('merges in any split of the batch to the same totals (the upsert adds batch after batch)', () => {
    const whole = aggregateWindows(windows, bucketMs);
    const byKey = new Map<string, ReturnType<typeof windowDelta>>();
    for (const part of [windows.slice(0, 37), windows.slice(37, 150), windows.slice(150)])
      for (const d of aggregateWindows(part, bucketMs)) {
        const key = `${d.bucketStart}/${d.deviceId}/${d.artifactId}`;
        const seen = byKey.get(key);
        byKey.set(key, seen ? mergeDelta(seen, d) : d);
      }
    expect(byKey.size).toBe(whole.length);
    for (const d of whole) {
      const merged = byKey.get(`${d.bucketStart}/${d.deviceId}/${d.artifactId}`)!;
      expect({ ...merged, latencySumMs: 0 }).toEqual({ ...d, latencySumMs: 0 });
      expect(merged.latencySumMs).toBeCloseTo(d.latencySumMs, 9);
    }
  });

  it('equals folding mergeDelta window by window, and leaves the windows untouched', () => {
    const before = JSON.stringify(windows);
    const folded = new Map<string, ReturnType<typeof windowDelta>>();
    for (const w of windows) {
      const d = windowDelta(w, bucketMs);
      const key = `${d.bucketStart}/${d.deviceId}/${d.artifactId}`;
      const seen = folded.get(key);
      folded.set(key, seen ? mergeDelta(seen, d) : d);
    }
    expect(aggregateWindows(windows, bucketMs)).toEqual([...folded.values()]);
    expect(JSON.stringify(windows)).toBe(before);
  });

  it('lets the latest window name the profile of a row', () => {
    const a = windowDelta({ ...window(1, 'd', 'a', 0), profile: 'old' }, bucketMs);
    const b = windowDelta({ ...window(2, 'd', 'a', 10), profile: 'new' }, bucketMs);
    expect(mergeDelta(a, b).profile).toBe('new');
  });
});
