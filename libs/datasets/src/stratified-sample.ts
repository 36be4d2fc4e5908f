import { ImageSet } from './image-set';
import { shuffleInPlace } from './rng';

/**
 * Splits `n` picks across classes in proportion to `sizes` (largest-remainder rounding, ties to
 * the lower class index), so the total is exactly `n` and no class gets more than it has.
 * With `atLeastOne` and `n` >= the number of non-empty classes, every non-empty class gets one
 * first and the rest is shared out in proportion to what each class has left.
 * Requires 0 <= n <= sum(sizes).
 */
export function allocateProportional(sizes: readonly number[], n: number, atLeastOne: boolean): number[] {
  const present = sizes.filter((s) => s > 0).length;
  const base = sizes.map((s): number => (atLeastOne && s > 0 && n >= present ? 1 : 0));
  const capacity = sizes.map((s, c) => s - base[c]);
  const totalCapacity = capacity.reduce((a, b) => a + b, 0);
  const remaining = n - base.reduce((a, b) => a + b, 0);
  if (totalCapacity === 0) return base;
  const exact = capacity.map((cap) => (remaining * cap) / totalCapacity);
  const alloc = exact.map((q, c) => base[c] + Math.floor(q));
  let left = n - alloc.reduce((a, b) => a + b, 0);
  // Every class whose exact share has a fraction still has room for one more (cap >= ceil(share)).
  const order = exact
    .map((q, c) => ({ c, frac: q - Math.floor(q) }))
    .filter((e) => e.frac > 0)
    .sort((a, b) => b.frac - a.frac || a.c - b.c);
  for (const { c } of order) {
    if (left === 0) break;
    alloc[c]++;
    left--;
  }
  return alloc;
}

/** Indices of each class's images in ascending order, indexed by label. */
export function indicesByClass(set: ImageSet): Uint32Array[] {
  const counts = new Array<number>(set.classNames.length).fill(0);
  for (const label of set.labels) counts[label]++;
  const groups = counts.map((n) => new Uint32Array(n));
  const fill = new Array<number>(set.classNames.length).fill(0);
  for (let i = 0; i < set.count; i++) {
    const label = set.labels[i];
    groups[label][fill[label]++] = i;
  }
  return groups;
}

/**
 * Draws `n` image indices so each class keeps its share of the set (see
 * {@link allocateProportional}); within a class the picks are uniformly random from `rng`.
 * Returns the picked indices in ascending order, so the result keeps the set's own order.
 */
export function stratifiedSample(
  set: ImageSet,
  n: number,
  rng: () => number,
  atLeastOne: boolean,
): Uint32Array {
  const groups = indicesByClass(set);
  const alloc = allocateProportional(
    groups.map((g) => g.length),
    n,
    atLeastOne,
  );
  const picked = new Uint32Array(n);
  let filled = 0;
  groups.forEach((group, c) => {
    shuffleInPlace(group, rng);
    picked.set(group.subarray(0, alloc[c]), filled);
    filled += alloc[c];
  });
  return picked.sort();
}

/** {@link stratifiedSample} plus its complement: `picked` and `rest` are disjoint, both ascending. */
export function stratifiedPartition(
  set: ImageSet,
  n: number,
  rng: () => number,
): { picked: Uint32Array; rest: Uint32Array } {
  const picked = stratifiedSample(set, n, rng, false);
  const isPicked = new Uint8Array(set.count);
  for (const i of picked) isPicked[i] = 1;
  const rest = new Uint32Array(set.count - n);
  let r = 0;
  for (let i = 0; i < set.count; i++) if (!isPicked[i]) rest[r++] = i;
  return { picked, rest };
}
