import { DatasetError } from './dataset-error';

// Mulberry32's additive constant (a Weyl sequence step); any odd 32-bit value gives a full period.
const WEYL_STEP = 0x6d2b79f5;
const TWO_POW_32 = 4294967296;

/** Throws BAD_ARGUMENT unless `seed` is a safe integer; seeds are reduced modulo 2^32. */
export function assertSeed(seed: number, where: string): void {
  if (!Number.isSafeInteger(seed)) {
    throw new DatasetError('BAD_ARGUMENT', `${where}: seed must be an integer, got ${seed}`);
  }
}

/**
 * Deterministic uniform generator on [0, 1) (mulberry32: 32-bit state, period 2^32).
 * Fast and reproducible across platforms; not for cryptography.
 * @example const rng = createRng(42); rng(); // same value on every run
 */
export function createRng(seed: number): () => number {
  assertSeed(seed, 'createRng');
  let state = seed >>> 0;
  return () => {
    state = (state + WEYL_STEP) >>> 0;
    let z = Math.imul(state ^ (state >>> 15), state | 1);
    z ^= z + Math.imul(z ^ (z >>> 7), z | 61);
    return ((z ^ (z >>> 14)) >>> 0) / TWO_POW_32;
  };
}

/** Random permutation of 0..n-1 (Fisher-Yates driven by {@link createRng}); same seed, same order. */
export function seededShuffle(n: number, seed: number): Uint32Array {
  if (!Number.isSafeInteger(n) || n < 0 || n > 0xffffffff) {
    throw new DatasetError('BAD_ARGUMENT', `seededShuffle: n must be an integer in 0..2^32-1, got ${n}`);
  }
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  shuffleInPlace(order, createRng(seed));
  return order;
}

/** Fisher-Yates shuffle of `values` using `rng`; exported for the stratified samplers. */
export function shuffleInPlace(values: Uint32Array, rng: () => number): void {
  for (let i = values.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const tmp = values[i];
    values[i] = values[j];
    values[j] = tmp;
  }
}
