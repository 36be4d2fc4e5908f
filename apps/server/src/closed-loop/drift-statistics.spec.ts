import { newcombeDifference, normalQuantile, wilsonInterval } from './drift-statistics';

describe('drift statistics', () => {
  it('inverts the normal CDF at textbook points', () => {
    expect(normalQuantile(0.5)).toBeCloseTo(0, 9);
    expect(normalQuantile(0.95)).toBeCloseTo(1.6448536, 6);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 6);
    expect(normalQuantile(0.01)).toBeCloseTo(-2.3263479, 6);
    expect(() => normalQuantile(1)).toThrow(RangeError);
  });

  it('gives the Wilson interval of a published example', () => {
    // 81 of 263 at 95% two-sided (each side 97.5%): 0.2553 .. 0.3662 (Newcombe 1998, table I).
    const w = wilsonInterval(81, 263, 0.975);
    expect(w.lower).toBeCloseTo(0.2553, 3);
    expect(w.upper).toBeCloseTo(0.3662, 3);
    // Extremes stay inside [0, 1] and are not degenerate.
    expect(wilsonInterval(0, 10, 0.975).lower).toBe(0);
    expect(wilsonInterval(0, 10, 0.975).upper).toBeCloseTo(0.2775, 3);
    expect(wilsonInterval(10, 10, 0.975).upper).toBe(1);
    expect(wilsonInterval(0, 0, 0.95)).toEqual({ lower: 0, upper: 1 });
    expect(() => wilsonInterval(5, 4, 0.95)).toThrow(RangeError);
  });

  it('narrows with more samples, so noise alone does not look like drift', () => {
    const small = wilsonInterval(7, 10, 0.95);
    const large = wilsonInterval(700, 1000, 0.95);
    expect(small.upper - small.lower).toBeGreaterThan(4 * (large.upper - large.lower));
    // 70% measured on 10 samples cannot rule out a target of 80%; on 1,000 it can.
    expect(small.upper).toBeGreaterThan(0.8);
    expect(large.upper).toBeLessThan(0.8);
  });

  it('bounds a difference of proportions as Newcombe does', () => {
    // Newcombe 1998 example: 56/70 vs 48/80, 95% interval of the difference 0.0524 .. 0.3339.
    const d = newcombeDifference(56, 70, 48, 80, 0.975);
    expect(d.lower).toBeCloseTo(0.0524, 3);
    expect(d.upper).toBeCloseTo(0.3339, 3);
    const same = newcombeDifference(500, 1000, 500, 1000, 0.95);
    expect(same.lower).toBeLessThan(0);
    expect(same.upper).toBeGreaterThan(0);
  });
});
