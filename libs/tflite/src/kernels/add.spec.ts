import { addKernel } from './add';
import { planBroadcast } from './broadcast';
import { q, runOp, singleOpModel } from './single-op-model.spec-helper';

const opts = (fusedActivation: 'NONE' | 'RELU' = 'NONE') =>
  ({ kind: 'AddOptions', fusedActivation }) as const;

describe(addKernel.name, () => {
  it('stays within one code of the real-valued sum for every input pair of one row', () => {
    const [s1, z1, s2, z2, so, zo] = [0.0407, -2, 0.0412, -1, 0.0584, -3];
    const a = Array.from({ length: 256 }, (_, i) => i - 128);
    const b = a.map((v) => (v * 37) % 128);
    const model = singleOpModel(
      'ADD',
      [q([1, 256], s1, z1), q([1, 256], s2, z2)],
      [q([1, 256], so, zo)],
      opts(),
    );
    const got = runOp(model, a, b);
    const wrong = got.filter((v, i) => {
      const real = (a[i] - z1) * s1 + (b[i] - z2) * s2;
      return Math.abs(v - Math.max(-128, Math.min(127, Math.round(real / so) + zo))) > 1;
    });
    expect(wrong).toEqual([]);
  });

  it('broadcasts a per-channel operand and applies RELU', () => {
    const model = singleOpModel('ADD', [q([1, 2, 2, 2], 1), q([2], 1)], [q([1, 2, 2, 2], 1)], opts('RELU'));
    expect(runOp(model, [1, 2, 3, 4, 5, 6, 7, 8], [-3, 10])).toEqual([0, 12, 0, 14, 2, 16, 4, 18]);
  });

  it('adds float32 with broadcasting of a scalar-like operand', () => {
    const f = { type: 'FLOAT32' } as const;
    const model = singleOpModel(
      'ADD',
      [
        { ...f, shape: [2, 1] },
        { ...f, shape: [1, 3] },
      ],
      [{ ...f, shape: [2, 3] }],
      opts(),
    );
    expect(runOp(model, [0.5, 1], [1, 2, 3])).toEqual([1.5, 2.5, 3.5, 2, 3, 4]);
  });

  it('plans numpy-style broadcasts and refuses incompatible shapes', () => {
    expect(planBroadcast([4, 1, 3], [2, 1])?.shape).toEqual([4, 2, 3]);
    expect(planBroadcast([2, 3], [3, 2])).toBeUndefined();
  });
});
