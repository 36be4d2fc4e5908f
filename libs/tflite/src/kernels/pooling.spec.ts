import type { Pool2DOptions } from '../model/tflite-model';
import { averagePool2dKernel } from './average-pool-2d';
import { maxPool2dKernel } from './max-pool-2d';
import { q, runOp, singleOpModel } from './single-op-model.spec-helper';

const opts = (o: Partial<Pool2DOptions> = {}): Pool2DOptions => ({
  kind: 'Pool2DOptions',
  padding: 'SAME',
  strideW: 2,
  strideH: 2,
  filterWidth: 3,
  filterHeight: 3,
  fusedActivation: 'NONE',
  ...o,
});

// 4x4 image; with SAME 3x3 stride 2 the windows are rows/cols {0,1,2} and {2,3} (padding after).
const image = [-1, -2, -3, -4, 5, 6, 7, 8, -9, -10, -11, -12, 13, 14, 15, 16];

describe(averagePool2dKernel.name, () => {
  it('averages only pixels inside the image and rounds halves away from zero', () => {
    const model = singleOpModel('AVERAGE_POOL_2D', [q([1, 4, 4, 1], 1)], [q([1, 2, 2, 1], 1)], opts());
    // sums / counts: -18/9 = -2; -15/6 = -2.5 -> -3; 12/6 = 2; 8/4 = 2
    expect(runOp(model, image)).toEqual([-2, -3, 2, 2]);
  });

  it('rounds negative halves away from zero', () => {
    const model = singleOpModel(
      'AVERAGE_POOL_2D',
      [q([1, 1, 2, 1], 1)],
      [q([1, 1, 1, 1], 1)],
      opts({ padding: 'VALID', filterHeight: 1, filterWidth: 2 }),
    );
    expect(runOp(model, [-2, -3])).toEqual([-3]);
    expect(runOp(model, [2, 3])).toEqual([3]);
    expect(runOp(model, [-2, -1])).toEqual([-2]);
  });

  it('averages float32 per channel', () => {
    const model = singleOpModel(
      'AVERAGE_POOL_2D',
      [{ shape: [1, 2, 2, 2], type: 'FLOAT32' }],
      [{ shape: [1, 1, 1, 2], type: 'FLOAT32' }],
      opts({ padding: 'VALID', filterHeight: 2, filterWidth: 2 }),
    );
    expect(runOp(model, [1, 10, 2, 20, 3, 30, 4, 40])).toEqual([2.5, 25]);
  });
});

describe(maxPool2dKernel.name, () => {
  it('takes the maximum of the clipped window and applies the fused clamp', () => {
    const model = singleOpModel('MAX_POOL_2D', [q([1, 4, 4, 1], 1)], [q([1, 2, 2, 1], 1)], opts());
    expect(runOp(model, image)).toEqual([7, 8, 15, 16]);
    const relu = singleOpModel(
      'MAX_POOL_2D',
      [q([1, 4, 4, 1], 1)],
      [q([1, 2, 2, 1], 1)],
      opts({ fusedActivation: 'RELU' }),
    );
    expect(
      runOp(
        relu,
        image.map((v) => -Math.abs(v)),
      ),
    ).toEqual([0, 0, 0, 0]);
  });
});
