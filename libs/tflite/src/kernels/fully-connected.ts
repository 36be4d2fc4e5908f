/**
 * FULLY_CONNECTED: TFLM reference_integer_ops::FullyConnected (int8, per-tensor weights with
 * weight offset), FullyConnectedPerChannel (int8, symmetric per-channel weights), and
 * reference_ops::FullyConnected (float32, float accumulation in weight order).
 */
import { multiplyByQuantizedMultiplier, quantizeMultiplier } from './fixed-point';
import { check, checkArity, checkSupported, flatSize, input, options, perTensorQuant } from './kernel-checks';
import type { Kernel, KernelContext } from './kernel';
import { channelMultipliers, floatActivationRange, quantizedActivationRange } from './quant-params';

const kInput = 0;
const kWeights = 1;
const kBias = 2;

interface FullyConnectedData {
  float: boolean;
  batches: number;
  accumDepth: number;
  outDepth: number;
  inputOffset: number;
  weightsOffset: number;
  outputOffset: number;
  /** One entry per output channel (per-tensor weights repeat the same value). */
  multipliers: Int32Array;
  shifts: Int32Array;
  actMin: number;
  actMax: number;
}

function prepare(ctx: KernelContext): FullyConnectedData {
  checkArity(ctx, 2, 1, 3);
  const o = options(ctx, 'FullyConnectedOptions');
  const x = input(ctx, kInput, 'input');
  const w = input(ctx, kWeights, 'weights');
  const bias = ctx.inputs[kBias];
  const out = ctx.outputs[0];
  check(ctx, w.shape.length === 2, () => `weights must be [out, in], got [${w.shape.join(',')}]`);
  const [outDepth, accumDepth] = w.shape;
  check(ctx, out.shape[out.shape.length - 1] === outDepth, () => `output last dim must be ${outDepth}`);
  const batches = flatSize(out.shape) / outDepth;
  check(
    ctx,
    flatSize(x.shape) === batches * accumDepth,
    () => `input [${x.shape.join(',')}] does not flatten to ${batches} x ${accumDepth}`,
  );
  if (bias)
    check(
      ctx,
      bias.data.length === outDepth,
      () => `bias has ${bias.data.length} values, expected ${outDepth}`,
    );
  const geometry = { batches, accumDepth, outDepth };
  if (x.type === 'FLOAT32') {
    checkSupported(
      ctx,
      w.type === 'FLOAT32' && out.type === 'FLOAT32' && (!bias || bias.type === 'FLOAT32'),
      () =>
        `float input needs float32 weights, bias and output, got ${w.type}, ${bias?.type ?? 'none'}, ${out.type}`,
    );
    const range = floatActivationRange(ctx, o.fusedActivation);
    const none = new Int32Array(0);
    return {
      float: true,
      ...geometry,
      inputOffset: 0,
      weightsOffset: 0,
      outputOffset: 0,
      multipliers: none,
      shifts: none,
      actMin: range.min,
      actMax: range.max,
    };
  }
  checkSupported(
    ctx,
    x.type === 'INT8' && w.type === 'INT8' && out.type === 'INT8' && (!bias || bias.type === 'INT32'),
    () =>
      `supports float32, or int8 input/weights/output with int32 bias; got ${x.type}, ${w.type}, ` +
      `${bias?.type ?? 'no'} bias, ${out.type}`,
  );
  const inQ = perTensorQuant(ctx, x, 'input');
  const outQ = perTensorQuant(ctx, out, 'output');
  check(ctx, w.scale.length >= 1, () => 'weights have no quantization');
  const perChannel = w.scale.length > 1;
  let quant: { multipliers: Int32Array; shifts: Int32Array };
  let weightsOffset = 0;
  if (perChannel) {
    checkSupported(
      ctx,
      w.scale.length === w.shape[w.quantizedDimension] && w.zeroPoint.every((z) => z === 0),
      () => `per-channel weights need ${outDepth} scales along quantized_dimension and zero points 0`,
    );
    quant = channelMultipliers(inQ.scale, w.scale, outQ.scale, outDepth);
  } else {
    // GetQuantizedConvolutionMultipler multiplies the two scales in float, then divides in double.
    const q = quantizeMultiplier(Math.fround(inQ.scale * w.scale[0]) / outQ.scale);
    quant = {
      multipliers: new Int32Array(outDepth).fill(q.multiplier),
      shifts: new Int32Array(outDepth).fill(q.shift),
    };
    weightsOffset = -w.zeroPoint[0];
  }
  const range = quantizedActivationRange(ctx, o.fusedActivation, out.type, outQ.scale, outQ.zeroPoint);
  return {
    float: false,
    ...geometry,
    ...quant,
    inputOffset: -inQ.zeroPoint,
    weightsOffset,
    outputOffset: outQ.zeroPoint,
    actMin: range.min,
    actMax: range.max,
  };
}

function evalInt8(ctx: KernelContext, d: FullyConnectedData): void {
  const x = ctx.inputs[kInput]!.data;
  const w = ctx.inputs[kWeights]!.data;
  const bias = ctx.inputs[kBias]?.data;
  const y = ctx.outputs[0].data;
  const {
    accumDepth,
    outDepth,
    inputOffset,
    weightsOffset,
    outputOffset,
    actMin,
    actMax,
    multipliers,
    shifts,
  } = d;
  for (let b = 0; b < d.batches; b++) {
    const xBase = b * accumDepth;
    for (let oc = 0; oc < outDepth; oc++) {
      const wBase = oc * accumDepth;
      let acc = 0;
      for (let i = 0; i < accumDepth; i++)
        acc += (w[wBase + i] + weightsOffset) * (x[xBase + i] + inputOffset);
      if (bias) acc += bias[oc];
      let v = multiplyByQuantizedMultiplier(acc | 0, multipliers[oc], shifts[oc]) + outputOffset;
      v = v < actMin ? actMin : v > actMax ? actMax : v;
      y[b * outDepth + oc] = v;
    }
  }
}

function evalFloat(ctx: KernelContext, d: FullyConnectedData): void {
  const x = ctx.inputs[kInput]!.data;
  const w = ctx.inputs[kWeights]!.data;
  const bias = ctx.inputs[kBias]?.data;
  const y = ctx.outputs[0].data;
  const { accumDepth, outDepth } = d;
  const fround = Math.fround;
  for (let b = 0; b < d.batches; b++) {
    for (let oc = 0; oc < outDepth; oc++) {
      // float32 arithmetic step by step (products of two floats are exact in a double).
      let total = 0;
      for (let i = 0; i < accumDepth; i++)
        total = fround(total + fround(x[b * accumDepth + i] * w[oc * accumDepth + i]));
      const v = fround(total + (bias ? bias[oc] : 0));
      y[b * outDepth + oc] = v < d.actMin ? d.actMin : v > d.actMax ? d.actMax : v;
    }
  }
}

/** FULLY_CONNECTED kernel (int8 per-tensor or per-channel weights, or float32). */
export const fullyConnectedKernel: Kernel<FullyConnectedData> = {
  name: 'FULLY_CONNECTED',
  prepare,
  eval: (ctx, d) => (d.float ? evalFloat(ctx, d) : evalInt8(ctx, d)),
};
