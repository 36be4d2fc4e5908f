// Shared by the kernel specs: seeded random data and gradient read-out on whatever backend
// is active, so the same case can run on stock cpu (the oracle) and on our kernels.
import * as tf from '@tensorflow/tfjs-core';

/** Deterministic uniform [0,1) generator (mulberry32), so failures reproduce. */
export function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Picks one element of a list with the given generator. */
export function pick<T>(next: () => number, items: readonly T[]): T {
  return items[Math.floor(next() * items.length)];
}

/** Uniform values in [-1, 1). */
export function randomValues(next: () => number, shape: number[]): Float32Array {
  const out = new Float32Array(shape.reduce((a, b) => a * b, 1));
  for (let i = 0; i < out.length; i++) out[i] = next() * 2 - 1;
  return out;
}

/** A differentiable function of some inputs plus the inputs' shapes and values. */
export interface GradCase {
  label: string;
  inputs: { shape: number[]; values: Float32Array }[];
  /** Output weighted by a fixed random tensor so every dy element differs. */
  f: (...xs: tf.Tensor[]) => tf.Tensor;
}

/** Gradients of sum(f(inputs)) for every input, computed on the active backend. */
export function gradients(c: GradCase): Float32Array[] {
  return tf.tidy(() => {
    const xs = c.inputs.map((i) => tf.tensor(i.values, i.shape));
    const grads = tf.grads((...a: tf.Tensor[]) => tf.sum(c.f(...a)))(xs);
    return grads.map((g) => g.dataSync() as Float32Array);
  });
}

/** Largest |a-b| divided by the largest |b| (or 1 if b is tiny). */
export function relativeError(actual: Float32Array, expected: Float32Array): number {
  if (actual.length !== expected.length) return Infinity;
  let worst = 0;
  let scale = 0;
  for (let i = 0; i < expected.length; i++) {
    worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
    scale = Math.max(scale, Math.abs(expected[i]));
  }
  return worst / Math.max(scale, 1);
}
