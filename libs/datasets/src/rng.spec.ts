import { createRng, seededShuffle } from './rng';
import { DatasetError } from './dataset-error';

describe(createRng.name, () => {
  it('repeats its sequence for a seed and differs across seeds', () => {
    const a = createRng(42);
    const b = createRng(42);
    const c = createRng(43);
    const seqA = Array.from({ length: 50 }, a);
    expect(Array.from({ length: 50 }, b)).toEqual(seqA);
    expect(Array.from({ length: 50 }, c)).not.toEqual(seqA);
  });

  it('stays in [0, 1) and is close to uniform (chi-square over 20 buckets)', () => {
    const rng = createRng(7);
    const n = 200000;
    const buckets = new Array<number>(20).fill(0);
    let outside = 0;
    for (let i = 0; i < n; i++) {
      const x = rng();
      if (!(x >= 0 && x < 1)) outside++;
      else buckets[Math.floor(x * 20)]++;
    }
    expect(outside).toBe(0);
    const expected = n / 20;
    const chi2 = buckets.reduce((sum, o) => sum + (o - expected) ** 2 / expected, 0);
    // 19 degrees of freedom: p = 0.001 at 43.8.
    expect(chi2).toBeLessThan(43.8);
  });

  it('treats seeds modulo 2^32 and rejects non-integers', () => {
    expect(createRng(2 ** 32 + 5)()).toBe(createRng(5)());
    expect(createRng(-1)()).toBe(createRng(2 ** 32 - 1)());
    expect(() => createRng(1.5)).toThrow(DatasetError);
    expect(() => createRng(Number.NaN)).toThrow(/seed must be an integer/);
  });
});

describe(seededShuffle.name, () => {
  it('returns a permutation of 0..n-1', () => {
    const order = seededShuffle(1000, 1);
    expect(Array.from(order).sort((x, y) => x - y)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
  });

  it('is deterministic for a seed and actually shuffles', () => {
    expect(seededShuffle(500, 9)).toEqual(seededShuffle(500, 9));
    expect(seededShuffle(500, 9)).not.toEqual(seededShuffle(500, 10));
    const fixedPoints = Array.from(seededShuffle(500, 9)).filter((v, i) => v === i).length;
    expect(fixedPoints).toBeLessThan(10);
  });

  it('puts each value in each position about equally often', () => {
    // 3! = 6 orders of [0, 1, 2]; a biased Fisher-Yates shows up as an uneven count.
    const counts = new Map<string, number>();
    for (let seed = 0; seed < 6000; seed++) {
      const key = Array.from(seededShuffle(3, seed)).join('');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect(counts.size).toBe(6);
    for (const n of counts.values()) expect(Math.abs(n - 1000)).toBeLessThan(150);
  });

  it('handles 0 and 1 and rejects bad sizes', () => {
    expect(seededShuffle(0, 1).length).toBe(0);
    expect(Array.from(seededShuffle(1, 1))).toEqual([0]);
    expect(() => seededShuffle(-1, 1)).toThrow(DatasetError);
    expect(() => seededShuffle(2.5, 1)).toThrow(DatasetError);
  });
});
