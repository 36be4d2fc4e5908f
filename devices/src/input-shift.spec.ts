import { InputShift, rowsByClass } from './input-shift';
import { SampleSource } from './sample-source';

const N = 4000;

describe(InputShift.name, () => {
  const source = SampleSource.fromDataset('fashion-mnist', { shuffleSeed: 5 });
  afterEach(() => source.setShift(undefined));

  it.each([0.05, 0.1, 0.3])(
    'adds Gaussian noise of stddev %p on the [0, 1] scale (measured on Fashion-MNIST pixels)',
    (stddev) => {
      const clean = Array.from({ length: 300 }, (_, i) => source.at(i));
      source.setShift({ kind: 'noise', stddev });
      const background: number[] = [];
      const middle: number[] = [];
      // Mid-grey pixels more than 3.5 sigma from both ends: clamping cannot touch them.
      const margin = Math.ceil(3.5 * stddev * 255);
      clean.forEach((c, i) => {
        const noisy = source.at(i);
        expect(noisy).toMatchObject({ shifted: true, label: c.label });
        c.pixels.forEach((p, k) => {
          const d = (noisy.pixels[k] - p) / 255;
          if (p === 0) background.push(d);
          else if (p >= margin && p <= 255 - margin) middle.push(d);
        });
      });
      // Black background pixels are clamped at 0: the result is half-normal, E[x^2] = sigma^2 / 2.
      const halfNormal = Math.sqrt((2 * background.reduce((a, d) => a + d * d, 0)) / background.length);
      expect(background.length).toBeGreaterThan(10_000);
      expect(Math.abs(halfNormal - stddev) / stddev).toBeLessThan(0.05);
      if (middle.length > 2000) {
        const mean = middle.reduce((a, d) => a + d, 0) / middle.length;
        const sd = Math.sqrt(middle.reduce((a, d) => a + (d - mean) ** 2, 0) / middle.length);
        expect(Math.abs(mean)).toBeLessThan(stddev * 0.05);
        expect(Math.abs(sd - stddev) / stddev).toBeLessThan(0.05);
      } else expect(stddev).toBe(0.3); // too wide for unclamped mid-grey pixels
      // The same noise on every read of a sample index.
      expect(Buffer.from(source.at(7).pixels).equals(source.at(7).pixels)).toBe(true);
    },
  );

  it('draws only from the listed classes, each about equally often', () => {
    source.setShift({ kind: 'classes', classes: [6, 2, 4], share: 1 });
    const labels = Uint8Array.from({ length: N }, (_, i) => source.at(i).label);
    const counts = new Array<number>(10).fill(0);
    for (const label of labels) counts[label]++;
    expect(counts.filter((_, c) => ![6, 2, 4].includes(c)).every((n) => n === 0)).toBe(true);
    for (const c of [6, 2, 4]) expect(Math.abs(counts[c] / N - 1 / 3)).toBeLessThan(0.03);
    // The pixels are the dataset row of that label (the image matches its label).
    const s = source.at(11);
    const rows = rowsByClass(source.set.labels, 10)[s.label];
    expect(
      Array.from(rows).some((r) =>
        Buffer.from(source.set.images.subarray(r * 784, r * 784 + 784)).equals(s.pixels),
      ),
    ).toBe(true);
  });

  it('replaces the requested share of samples and leaves the rest as before', () => {
    const before = Array.from({ length: N }, (_, i) => source.at(i));
    source.setShift({ kind: 'classes', classes: [0, 9], share: 0.8 });
    const after = Array.from({ length: N }, (_, i) => source.at(i));
    const replaced = after.filter((s) => s.shifted).length / N;
    expect(Math.abs(replaced - 0.8)).toBeLessThan(0.03);
    const kept = after.filter((s, i) => !s.shifted && Buffer.from(s.pixels).equals(before[i].pixels));
    expect(kept.length).toBe(after.filter((s) => !s.shifted).length);
    expect(after.filter((s) => s.shifted && s.label !== 0 && s.label !== 9)).toHaveLength(0);
    // Listed classes: the replaced 80% plus their share (2 of 10) of the remaining 20%.
    const listed = after.filter((s) => s.label === 0 || s.label === 9).length / N;
    expect(Math.abs(listed - (0.8 + 0.2 * 0.2))).toBeLessThan(0.03);
  });

  it('refuses a class the source does not have, and keeps the drift knob working on top', () => {
    expect(() => source.setShift({ kind: 'classes', classes: [10], share: 1 })).toThrow(/out of range/);
    source.setShift({ kind: 'classes', classes: [3], share: 1 });
    source.setDrift({ fraction: 1, kind: 'invert' });
    try {
      const s = source.at(3);
      expect(s).toMatchObject({ label: 3, drifted: true, shifted: true });
      source.setDrift(undefined);
      expect(Array.from(source.at(3).pixels, (p) => 255 - p)).toEqual(Array.from(s.pixels));
    } finally {
      source.setDrift(undefined);
    }
  });
});
