import { fullyConnectedKernel } from './fully-connected';
import { q, runOp, singleOpModel } from './single-op-model.spec-helper';

const opts = { kind: 'FullyConnectedOptions', fusedActivation: 'NONE', keepNumDims: false } as const;

describe(fullyConnectedKernel.name, () => {
  it('applies input and weight zero points with per-tensor weights', () => {
    const model = singleOpModel(
      'FULLY_CONNECTED',
      [
        q([1, 3], 1, 1),
        q([2, 3], 1, -2, [0, 1, 2, -2, -2, -2]),
        { shape: [2], type: 'INT32', data: [5, -5] },
      ],
      [q([1, 2], 1, 3)],
      opts,
    );
    // (x - 1) = [1, 2, 3]; (w + 2) = [2, 3, 4] and [0, 0, 0]; acc = [20 + 5, -5]; + 3
    expect(runOp(model, [2, 3, 4])).toEqual([28, -2]);
  });

  it('uses one multiplier per output channel for per-channel weights, over flattened batches', () => {
    const model = singleOpModel(
      'FULLY_CONNECTED',
      [q([2, 1, 2], 0.5), { ...q([2, 2], [1, 0.25], 0, [4, 4, 4, 4]), quantizedDimension: 0 }, null],
      [q([2, 2], 1)],
      opts,
    );
    // batch 0: x = [1, 3] -> acc 16 -> [8, 2]; batch 1: x = [-2, -4] -> acc -24 -> [-12, -3]
    expect(runOp(model, [1, 3, -2, -4])).toEqual([8, 2, -12, -3]);
  });

  it('computes float32 with float accumulation and RELU', () => {
    const model = singleOpModel(
      'FULLY_CONNECTED',
      [
        { shape: [1, 2], type: 'FLOAT32' },
        { shape: [2, 2], type: 'FLOAT32', data: [0.5, 0.25, -1, 1] },
        { shape: [2], type: 'FLOAT32', data: [0.1, 0] },
      ],
      [{ shape: [1, 2], type: 'FLOAT32' }],
      { ...opts, fusedActivation: 'RELU' },
    );
    const [a, b] = runOp(model, [2, 1]);
    expect(a).toBe(Math.fround(Math.fround(1.25) + Math.fround(0.1)));
    expect(b).toBe(0);
  });

  it('rejects mismatched input size', () => {
    const model = singleOpModel(
      'FULLY_CONNECTED',
      [q([1, 4], 1), q([2, 3], 1, 0, [1, 1, 1, 1, 1, 1]), null],
      [q([1, 2], 1)],
      opts,
    );
    expect(() => runOp(model, [1, 2, 3, 4])).toThrow(
      /FULLY_CONNECTED \(op 0\): input \[1,4\] does not flatten to 1 x 3/,
    );
  });
});
