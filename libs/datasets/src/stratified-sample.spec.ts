import { allocateProportional } from './stratified-sample';
import { createRng } from './rng';

describe(allocateProportional.name, () => {
  it.each([
    { sizes: [6000, 6000, 6000], n: 300, atLeastOne: false, want: [100, 100, 100] },
    { sizes: [1, 1, 998], n: 10, atLeastOne: false, want: [0, 0, 10] },
    { sizes: [1, 1, 998], n: 10, atLeastOne: true, want: [1, 1, 8] },
    { sizes: [1, 1, 998], n: 2, atLeastOne: true, want: [0, 0, 2] },
    { sizes: [3, 0, 3], n: 3, atLeastOne: true, want: [2, 0, 1] },
    { sizes: [5, 5], n: 10, atLeastOne: true, want: [5, 5] },
    { sizes: [0, 0], n: 0, atLeastOne: true, want: [0, 0] },
  ])('splits $n over $sizes (atLeastOne=$atLeastOne) as $want', ({ sizes, n, atLeastOne, want }) => {
    expect(allocateProportional(sizes, n, atLeastOne)).toEqual(want);
  });

  it('always sums to n and never exceeds a class (random cases)', () => {
    const rng = createRng(99);
    for (let round = 0; round < 2000; round++) {
      const sizes = Array.from({ length: 1 + Math.floor(rng() * 12) }, () => Math.floor(rng() ** 3 * 50));
      const total = sizes.reduce((a, b) => a + b, 0);
      const n = Math.floor(rng() * (total + 1));
      const atLeastOne = rng() < 0.5;
      const alloc = allocateProportional(sizes, n, atLeastOne);
      expect(alloc.reduce((a, b) => a + b, 0)).toBe(n);
      alloc.forEach((a, c) => expect(a >= 0 && a <= sizes[c]).toBe(true));
      const present = sizes.filter((s) => s > 0).length;
      if (atLeastOne && n >= present) sizes.forEach((s, c) => s > 0 && expect(alloc[c]).toBeGreaterThan(0));
    }
  });
});
