// Cases and suite shared by the Sum/Mean specs of both backends.
import * as tf from '@tensorflow/tfjs-core';
import { registerTrainingKernels } from '../register-training-kernels';
import { useInstalledWasmBinaries } from '../wasm-binaries';
import { relativeError, randomValues, seeded } from './grad-check.spec-helper';

interface ReduceCase {
  op: 'sum' | 'mean';
  shape: number[];
  axis: number | number[];
  keepDims: boolean;
  dtype: 'float32' | 'int32';
}

const next = seeded(9);
const shapes = [[16, 14, 14, 8], [3, 5], [7], [2, 3, 4]];
const axes: (number | number[])[] = [[0, 1, 2], 0, [0, 1], [1, 0], -1, [1, 2], [0, 2], [0, 1, 2, 3]];
const cases: ReduceCase[] = [];
for (const shape of shapes) {
  for (const axis of axes) {
    const list = Array.isArray(axis) ? axis : [axis];
    if (list.some((a) => a >= shape.length || a < -shape.length)) continue;
    for (const op of ['sum', 'mean'] as const) {
      cases.push({ op, shape, axis, keepDims: next() < 0.5, dtype: next() < 0.8 ? 'float32' : 'int32' });
    }
  }
}
const data = cases.map((c) => randomValues(next, c.shape));

function reduce(c: ReduceCase, values: Float32Array): Float32Array {
  return tf.tidy(() => {
    const x = tf.cast(tf.mul(tf.tensor(values, c.shape), 10), c.dtype);
    const y = c.op === 'sum' ? tf.sum(x, c.axis, c.keepDims) : tf.mean(x, c.axis, c.keepDims);
    return Float32Array.from(y.dataSync());
  });
}

/** Sum/Mean over many axis sets on `target` (our kernels) against stock cpu; once per spec file. */
export function describeReduceAgainstStockCpu(target: 'wasm' | 'cpu'): void {
  describe(`Sum and Mean on ${target}`, () => {
    let expected: Float32Array[] = [];
    beforeAll(async () => {
      await tf.setBackend('cpu');
      expected = cases.map((c, i) => reduce(c, data[i]));
      useInstalledWasmBinaries();
      registerTrainingKernels();
      expect(await tf.setBackend(target)).toBe(true);
    }, 60_000);

    it.each(
      cases.map(
        (c, i) =>
          [`${c.op} ${c.dtype}[${c.shape}] axis ${JSON.stringify(c.axis)} keep ${c.keepDims}`, i] as const,
      ),
    )('equals stock cpu: %s', (_label, i) => {
      expect(relativeError(reduce(cases[i], data[i]), expected[i])).toBeLessThan(1e-5);
    });

    it('keeps the shape rules of the stock kernel', () => {
      const x = tf.ones([4, 3, 2]);
      expect(tf.sum(x, [0, 1], true).shape).toEqual([1, 1, 2]);
      expect(tf.mean(x, [0, 1]).shape).toEqual([2]);
      expect(tf.sum(x).shape).toEqual([]);
    });
  });
}
