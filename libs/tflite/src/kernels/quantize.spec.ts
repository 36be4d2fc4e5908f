import { dequantizeKernel } from './dequantize';
import { quantizeKernel } from './quantize';
import { reshapeKernel } from './reshape';
import { q, runOp, singleOpModel } from './single-op-model.spec-helper';

const float = (shape: number[]) => ({ shape, type: 'FLOAT32' }) as const;

describe(quantizeKernel.name, () => {
  it('rounds float ties away from zero and saturates to int8', () => {
    const model = singleOpModel('QUANTIZE', [float([1, 6])], [q([1, 6], 0.5, -1)]);
    // x / 0.5 = [2.5, -2.5, 0.5, -0.5, 1000, -1000]
    expect(runOp(model, [1.25, -1.25, 0.25, -0.25, 500, -500])).toEqual([2, -4, 0, -2, 127, -128]);
  });

  it('requantizes int8 to int8 with the fixed-point multiplier', () => {
    const model = singleOpModel('QUANTIZE', [q([4], 0.5, 2)], [q([4], 0.25, -3)]);
    expect(runOp(model, [2, 3, -10, 100])).toEqual([-3, -1, -27, 127]);
  });
});

describe(dequantizeKernel.name, () => {
  it('maps codes to (q - zero_point) * scale as float32', () => {
    const model = singleOpModel('DEQUANTIZE', [q([3], 0.1, 5)], [float([3])]);
    expect(runOp(model, [5, 6, -128])).toEqual([0, Math.fround(0.1), Math.fround(-13.3)]);
  });
});

describe(reshapeKernel.name, () => {
  it('copies data into the new shape and refuses a size change', () => {
    const ok = singleOpModel(
      'RESHAPE',
      [q([2, 3], 1), { shape: [2], type: 'INT32', data: [3, 2] }],
      [q([3, 2], 1)],
    );
    expect(runOp(ok, [1, 2, 3, 4, 5, 6])).toEqual([1, 2, 3, 4, 5, 6]);
    const bad = singleOpModel('RESHAPE', [q([2, 3], 1)], [q([4, 2], 1)]);
    expect(() => runOp(bad, [1, 2, 3, 4, 5, 6])).toThrow(
      /RESHAPE \(op 0\): cannot reshape \[2,3\] into \[4,2\]/,
    );
  });
});
