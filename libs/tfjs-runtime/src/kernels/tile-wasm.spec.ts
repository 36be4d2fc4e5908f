import * as tf from '@tensorflow/tfjs-core';
import { registerTrainingKernels } from '../register-training-kernels';
import { TfjsRuntimeError } from '../tfjs-runtime-error';
import { useInstalledWasmBinaries } from '../wasm-binaries';
import { pick, randomValues, seeded } from './grad-check.spec-helper';
import { tileWasmConfig } from './tile-wasm';

interface TileCase {
  shape: number[];
  reps: number[];
  dtype: 'float32' | 'int32' | 'bool';
  values: Float32Array;
}

const next = seeded(404);
const cases: TileCase[] = [
  // The batch-norm gradient's pattern: per-channel vector over a whole activation.
  { shape: [1, 1, 1, 32], reps: [16, 28, 28, 1], dtype: 'float32', values: randomValues(next, [32]) },
];
for (let i = 0; i < 30; i++) {
  const rank = 1 + Math.floor(next() * 4);
  const shape = Array.from({ length: rank }, () => pick(next, [1, 2, 3, 5]));
  const reps = Array.from({ length: rank }, () => pick(next, [1, 2, 3]));
  cases.push({
    shape,
    reps,
    dtype: pick(next, ['float32', 'int32', 'bool'] as const),
    values: randomValues(next, shape),
  });
}

function tiled(c: TileCase): number[] {
  return tf.tidy(() => {
    // Bool data is built directly: casting to bool on wasm keeps non-0/1 bytes.
    const x =
      c.dtype === 'bool'
        ? tf.tensor(
            Array.from(c.values, (v) => v > 0),
            c.shape,
            'bool',
          )
        : tf.cast(tf.round(tf.mul(tf.tensor(c.values, c.shape), 3)), c.dtype);
    return Array.from(tf.tile(x, c.reps).dataSync());
  });
}

describe(`${tileWasmConfig.kernelName} on wasm`, () => {
  let expected: number[][] = [];
  beforeAll(async () => {
    await tf.setBackend('cpu');
    expected = cases.map(tiled);
    useInstalledWasmBinaries();
    registerTrainingKernels();
    expect(await tf.setBackend('wasm')).toBe(true);
  }, 60_000);

  it.each(cases.map((c, i) => [`${c.dtype}[${c.shape}] x [${c.reps}]`, i] as const))(
    'equals stock cpu tile: %s',
    (_label, i) => {
      const actual = tiled(cases[i]);
      expect(actual.length).toBe(expected[i].length);
      expect(actual.findIndex((v, j) => v !== expected[i][j])).toBe(-1);
    },
  );

  it('refuses string tensors with a typed error (stock wasm Tile aborts the module)', () => {
    expect(() => tf.tile(tf.tensor(['a', 'b']), [2])).toThrow(TfjsRuntimeError);
  });
});
