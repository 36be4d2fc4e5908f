import * as tf from '@tensorflow/tfjs-core';
import { registerTrainingKernels } from '../register-training-kernels';
import { useInstalledWasmBinaries } from '../wasm-binaries';
import { randomValues, relativeError, seeded } from './grad-check.spec-helper';

interface MatMulCase {
  a: number[];
  b: number[];
  transposeA: boolean;
  transposeB: boolean;
}

// The dense layer's three products in a training step, then batched and broadcast shapes.
const cases: MatMulCase[] = [
  { a: [128, 1152], b: [1152, 128], transposeA: false, transposeB: false },
  { a: [128, 128], b: [1152, 128], transposeA: false, transposeB: true },
  { a: [128, 1152], b: [128, 128], transposeA: true, transposeB: false },
  { a: [5, 3], b: [7, 5], transposeA: true, transposeB: true },
  { a: [2, 4, 3], b: [2, 4, 6], transposeA: true, transposeB: false },
  { a: [3, 2, 5], b: [1, 6, 5], transposeA: false, transposeB: true },
  { a: [1, 5, 2], b: [4, 3, 5], transposeA: true, transposeB: true },
];
const next = seeded(77);
const data = cases.map((c) => [randomValues(next, c.a), randomValues(next, c.b)] as const);

function product(c: MatMulCase, [a, b]: readonly [Float32Array, Float32Array]): tf.Tensor {
  return tf.matMul(tf.tensor(a, c.a), tf.tensor(b, c.b), c.transposeA, c.transposeB);
}

describe('BatchMatMul on wasm', () => {
  let expected: { shape: number[]; values: Float32Array }[] = [];
  beforeAll(async () => {
    await tf.setBackend('cpu');
    expected = cases.map((c, i) =>
      tf.tidy(() => {
        const y = product(c, data[i]);
        return { shape: y.shape, values: Float32Array.from(y.dataSync()) };
      }),
    );
    useInstalledWasmBinaries();
    registerTrainingKernels();
    expect(await tf.setBackend('wasm')).toBe(true);
  }, 60_000);

  it.each(
    cases.map(
      (c, i) => [`[${c.a}]${c.transposeA ? 'T' : ''} x [${c.b}]${c.transposeB ? 'T' : ''}`, i] as const,
    ),
  )('equals stock cpu: %s', (_label, i) => {
    const buffers = tf.memory().numDataBuffers;
    tf.tidy(() => {
      const y = product(cases[i], data[i]);
      expect(y.shape).toEqual(expected[i].shape);
      expect(relativeError(Float32Array.from(y.dataSync()), expected[i].values)).toBeLessThan(1e-5);
    });
    // The transposed copies made on the way are freed.
    expect(tf.memory().numDataBuffers).toBe(buffers);
  });
});
