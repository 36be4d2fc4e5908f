/**
 * SOFTMAX over the last dimension. int8 -> int8 follows TFLM's reference_ops::Softmax, which
 * for int8 uses gemmlowp fixed-point exp and reciprocal (TFLM builds LUTs only for int16):
 * differences to the row max are scaled by beta * input_scale into Q5.26, exp'd into Q0,
 * summed in Q12.19, and each exp is multiplied by the reciprocal of the sum.
 */
import {
  multiplyByQuantizedMultiplierGreaterThanOne,
  quantizeMultiplier,
  roundingDivideByPOT,
  saturatingRoundingDoublingHighMul,
} from './fixed-point';
import { expOnNegativeValues, getReciprocal } from './fixed-point-exp';
import { check, checkArity, checkSupported, flatSize, input, options, perTensorQuant } from './kernel-checks';
import type { Kernel, KernelContext } from './kernel';

const kScaledDiffIntegerBits = 5;
const kAccumulationIntegerBits = 12;

interface SoftmaxData {
  float: boolean;
  beta: number;
  depth: number;
  outer: number;
  inputMultiplier: number;
  inputLeftShift: number;
  diffMin: number;
}

function prepare(ctx: KernelContext): SoftmaxData {
  checkArity(ctx, 1, 1);
  const beta = Math.fround(options(ctx, 'SoftmaxOptions').beta);
  const x = input(ctx, 0, 'input');
  const out = ctx.outputs[0];
  check(ctx, x.shape.length >= 1, () => 'input must have at least one dimension');
  check(ctx, flatSize(x.shape) === flatSize(out.shape), () => 'input and output sizes differ');
  const depth = x.shape[x.shape.length - 1];
  const geometry = { beta, depth, outer: flatSize(x.shape) / depth };
  if (x.type === 'FLOAT32' && out.type === 'FLOAT32') {
    return { float: true, ...geometry, inputMultiplier: 0, inputLeftShift: 0, diffMin: 0 };
  }
  checkSupported(
    ctx,
    x.type === 'INT8' && out.type === 'INT8',
    () => `supports int8 -> int8 and float32, got ${x.type} -> ${out.type}`,
  );
  const inQ = perTensorQuant(ctx, x, 'input');
  const outQ = perTensorQuant(ctx, out, 'output');
  checkSupported(
    ctx,
    outQ.zeroPoint === -128 && outQ.scale === 1 / 256,
    () => `int8 output must have scale 1/256 and zero point -128, got ${outQ.scale} and ${outQ.zeroPoint}`,
  );
  // PreprocessSoftmaxScaling: beta * input_scale as a Q5.26 multiplier, capped at 2^31 - 1.
  const real = Math.min(beta * inQ.scale * 2 ** (31 - kScaledDiffIntegerBits), 2 ** 31 - 1);
  const q = quantizeMultiplier(real);
  check(ctx, q.shift >= 0, () => `beta * input_scale is too small (${beta * inQ.scale})`);
  // CalculateInputRadius: the largest difference whose rescaled value still fits Q5.26.
  const radius = Math.floor(
    (((1 << kScaledDiffIntegerBits) - 1) * 2 ** (31 - kScaledDiffIntegerBits)) / 2 ** q.shift,
  );
  return {
    float: false,
    ...geometry,
    inputMultiplier: q.multiplier,
    inputLeftShift: q.shift,
    diffMin: -radius,
  };
}

function evalInt8(ctx: KernelContext, d: SoftmaxData): void {
  const x = ctx.inputs[0]!.data;
  const y = ctx.outputs[0].data;
  const { depth, inputMultiplier, inputLeftShift, diffMin } = d;
  for (let i = 0; i < d.outer; i++) {
    const base = i * depth;
    let max = -128;
    for (let c = 0; c < depth; c++) if (x[base + c] > max) max = x[base + c];
    let sumOfExps = 0;
    for (let c = 0; c < depth; c++) {
      const diff = x[base + c] - max;
      if (diff >= diffMin) {
        const scaled = multiplyByQuantizedMultiplierGreaterThanOne(diff, inputMultiplier, inputLeftShift);
        const e = expOnNegativeValues(scaled, kScaledDiffIntegerBits);
        sumOfExps = (sumOfExps + roundingDivideByPOT(e, kAccumulationIntegerBits)) | 0;
      }
    }
    const { reciprocal, bitsOverUnit } = getReciprocal(sumOfExps, kAccumulationIntegerBits);
    const exponent = bitsOverUnit + 31 - 8;
    for (let c = 0; c < depth; c++) {
      const diff = x[base + c] - max;
      if (diff >= diffMin) {
        const scaled = multiplyByQuantizedMultiplierGreaterThanOne(diff, inputMultiplier, inputLeftShift);
        const e = expOnNegativeValues(scaled, kScaledDiffIntegerBits);
        const v = roundingDivideByPOT(saturatingRoundingDoublingHighMul(reciprocal, e), exponent) - 128;
        y[base + c] = v > 127 ? 127 : v < -128 ? -128 : v;
      } else {
        y[base + c] = -128;
      }
    }
  }
}

function evalFloat(ctx: KernelContext, d: SoftmaxData): void {
  const x = ctx.inputs[0]!.data;
  const y = ctx.outputs[0].data;
  const f = Math.fround;
  for (let i = 0; i < d.outer; i++) {
    const base = i * d.depth;
    let max = -Infinity;
    for (let c = 0; c < d.depth; c++) max = Math.max(max, x[base + c]);
    let sum = 0;
    for (let c = 0; c < d.depth; c++) {
      const e = f(Math.exp(f(f(x[base + c] - max) * d.beta)));
      y[base + c] = e;
      sum = f(sum + e);
    }
    for (let c = 0; c < d.depth; c++) y[base + c] = f(y[base + c] / sum);
  }
}

/** SOFTMAX kernel (int8 -> int8 fixed-point as TFLM, or float32). */
export const softmaxKernel: Kernel<SoftmaxData> = {
  name: 'SOFTMAX',
  prepare,
  eval: (ctx, d) => (d.float ? evalFloat(ctx, d) : evalInt8(ctx, d)),
};
