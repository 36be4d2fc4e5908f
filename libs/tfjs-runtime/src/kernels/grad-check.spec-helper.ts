// Shared by the kernel specs: seeded random data and gradient read-out on whatever backend
// is active, so the same case can run on stock cpu (the oracle) and on our kernels.
import * as tf from '@tensorflow/tfjs-core';
import { registerTrainingKernels } from '../register-training-kernels';
import { stockKernel } from '../stock-kernels';
import { useInstalledWasmBinaries } from '../wasm-binaries';

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

/**
 * Declares a suite comparing gradients of `cases` on `target` (with our kernels) against the
 * same gradients on stock cpu, computed first, before our kernels are registered. Use once
 * per spec file: registration is global to the file's module registry.
 */
export function describeAgainstStockCpu(
  title: string,
  target: 'wasm' | 'cpu',
  cases: GradCase[],
  checkedInputs: number[],
  tolerance: number,
): void {
  describe(title, () => {
    let expected: Float32Array[][] = [];
    beforeAll(async () => {
      if (stockKernel('Conv2DBackpropFilter', 'cpu') !== undefined)
        throw new Error('kernels already registered');
      await tf.setBackend('cpu');
      expected = cases.map((c) => gradients(c));
      useInstalledWasmBinaries();
      registerTrainingKernels();
      expect(await tf.setBackend(target)).toBe(true);
    }, 120_000);

    it.each(cases.map((c, i) => [c.label, i] as const))('matches stock cpu: %s', (_label, i) => {
      const actual = gradients(cases[i]);
      for (const k of checkedInputs) expect(relativeError(actual[k], expected[i][k])).toBeLessThan(tolerance);
    });

    it(`leaves no tensors behind on ${target}`, () => {
      const tensors = tf.memory().numTensors;
      const dataIds = tf.engine().backend.numDataIds();
      gradients(cases[0]);
      expect(tf.memory().numTensors).toBe(tensors);
      expect(tf.engine().backend.numDataIds()).toBe(dataIds);
    });
  });
}
