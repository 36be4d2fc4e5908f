import { softmaxKernel } from './softmax';
import { expOnNegativeValues, getReciprocal, oneOverOnePlusXForXIn01 } from './fixed-point-exp';
import { q, runOp, singleOpModel } from './single-op-model.spec-helper';

const opts = (beta = 1) => ({ kind: 'SoftmaxOptions', beta }) as const;
const softmaxModel = (shape: number[], scale: number, beta = 1) =>
  singleOpModel('SOFTMAX', [q(shape, scale, 0)], [q(shape, 1 / 256, -128)], opts(beta));

describe('gemmlowp fixed-point exp', () => {
  it(`${expOnNegativeValues.name} tracks exp(x) on Q5.26 inputs and is exactly one at zero`, () => {
    expect(expOnNegativeValues(0, 5)).toBe(2147483647);
    for (const real of [-0.001, -0.1, -0.25, -0.9, -1, -2.5, -7.3, -15.9, -31]) {
      const raw = Math.round(real * 2 ** 26);
      expect(Math.abs(expOnNegativeValues(raw, 5) / 2 ** 31 - Math.exp(real))).toBeLessThan(
        2e-8 + Math.exp(real) * 1e-6,
      );
    }
  });

  it(`${oneOverOnePlusXForXIn01.name} and ${getReciprocal.name} invert`, () => {
    for (const x of [0, 0.1, 0.5, 0.999]) {
      expect(Math.abs(oneOverOnePlusXForXIn01(Math.round(x * 2 ** 31)) / 2 ** 31 - 1 / (1 + x))).toBeLessThan(
        1e-8,
      );
    }
    const { reciprocal, bitsOverUnit } = getReciprocal(3 * 2 ** 19, 12); // 3.0 in Q12.19
    expect(bitsOverUnit).toBe(1); // 3 = 1.5 * 2^1
    expect(Math.abs((reciprocal / 2 ** 31) * 2 ** -bitsOverUnit - 1 / 3)).toBeLessThan(1e-8);
  });
});

describe(softmaxKernel.name, () => {
  it('gives equal logits equal shares (4 classes -> 0.25 -> code -64)', () => {
    expect(runOp(softmaxModel([1, 4], 0.1), [7, 7, 7, 7])).toEqual([-64, -64, -64, -64]);
  });

  it('saturates a dominant logit at 127 and drops far ones to -128', () => {
    expect(runOp(softmaxModel([1, 3], 0.5), [120, -100, -128])).toEqual([127, -128, -128]);
  });

  it('stays within one code of float softmax, row by row, with beta', () => {
    const x = [10, -20, 33, 0, -128, 127, 5, 5, 64, -64, 1, 2];
    const [scale, beta] = [0.07, 0.8];
    const got = runOp(softmaxModel([3, 4], scale, beta), x);
    for (let r = 0; r < 3; r++) {
      const row = x.slice(r * 4, r * 4 + 4).map((v) => v * scale * beta);
      const m = Math.max(...row);
      const e = row.map((v) => Math.exp(v - m));
      const sum = e.reduce((a, b) => a + b, 0);
      e.forEach((v, c) =>
        expect(
          Math.abs(got[r * 4 + c] - Math.min(127, Math.round((v / sum) * 256) - 128)),
        ).toBeLessThanOrEqual(1),
      );
    }
  });

  it('requires TFLM int8 output quantization', () => {
    const model = singleOpModel('SOFTMAX', [q([1, 2], 0.1)], [q([1, 2], 1 / 128, 0)], opts());
    expect(() => runOp(model, [1, 2])).toThrow(
      /SOFTMAX \(op 0\): int8 output must have scale 1\/256 and zero point -128/,
    );
  });
});
