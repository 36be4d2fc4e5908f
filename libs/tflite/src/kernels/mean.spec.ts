import { meanKernel } from './mean';
import { q, runOp, singleOpModel, type TensorSpec } from './single-op-model.spec-helper';

const opts = { kind: 'ReducerOptions', keepDims: true } as const;
const axes = (data: number[]): TensorSpec => ({ shape: [data.length], type: 'INT32', data });

describe(meanKernel.name, () => {
  it('truncates toward zero when input and output share quantization', () => {
    const model = singleOpModel(
      'MEAN',
      [q([1, 2, 2, 2], 0.1, 3), axes([1, 2])],
      [q([1, 1, 1, 2], 0.1, 3)],
      opts,
    );
    // channel 0: (-3 - 4 - 5 - 3) / 4 = -3.75 -> -3; channel 1: (1 + 2 + 2 + 2) / 4 = 1.75 -> 1
    expect(runOp(model, [-3, 1, -4, 2, -5, 2, -3, 2])).toEqual([-3, 1]);
  });

  it('rescales within one code of the real mean when quantization differs', () => {
    const x = Array.from({ length: 2 * 5 * 3 }, (_, i) => ((i * 53) % 255) - 128);
    const [si, zi, so, zo] = [0.05, -10, 0.03, 4];
    const model = singleOpModel('MEAN', [q([2, 5, 3], si, zi), axes([-2])], [q([2, 3], so, zo)], {
      ...opts,
      keepDims: false,
    });
    const got = runOp(model, x);
    for (let b = 0; b < 2; b++)
      for (let c = 0; c < 3; c++) {
        let sum = 0;
        for (let r = 0; r < 5; r++) sum += (x[(b * 5 + r) * 3 + c] - zi) * si;
        const expected = Math.max(-128, Math.min(127, Math.round(sum / 5 / so) + zo));
        expect(Math.abs(got[b * 3 + c] - expected)).toBeLessThanOrEqual(1);
      }
  });

  it('averages float32 over all axes', () => {
    const model = singleOpModel(
      'MEAN',
      [{ shape: [2, 2], type: 'FLOAT32' }, axes([0, 1])],
      [{ shape: [1, 1], type: 'FLOAT32' }],
      opts,
    );
    expect(runOp(model, [1, 2, 3, 6])).toEqual([3]);
  });
});
