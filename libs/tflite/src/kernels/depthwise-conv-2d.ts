/**
 * DEPTHWISE_CONV_2D, int8 per-channel: TFLM reference_integer_ops::DepthwiseConvPerChannel.
 * Filter layout [1, kh, kw, in_c * depth_multiplier]; output channel = in_c * multiplier + m.
 */
import { multiplyByQuantizedMultiplier } from './fixed-point';
import { check, checkArity, checkRank, checkType, input, options } from './kernel-checks';
import type { Kernel, KernelContext } from './kernel';
import { convQuantization, windowGeometry, type ConvQuantization, type WindowGeometry } from './conv-window';

const kInput = 0;
const kFilter = 1;
const kBias = 2;
const kDepthwiseQuantizedDimension = 3;

interface DepthwiseData extends WindowGeometry, ConvQuantization {
  depthMultiplier: number;
  /** Per-output-pixel accumulators, reused across invokes. */
  acc: Float64Array;
}

function prepare(ctx: KernelContext): DepthwiseData {
  checkArity(ctx, 2, 1, 3);
  const o = options(ctx, 'DepthwiseConv2DOptions');
  const x = input(ctx, kInput, 'input');
  const filter = input(ctx, kFilter, 'filter');
  const bias = ctx.inputs[kBias];
  const out = ctx.outputs[0];
  checkType(ctx, x, 'input', ['INT8']);
  checkType(ctx, out, 'output', ['INT8']);
  checkRank(ctx, x, 'input', 4);
  checkRank(ctx, filter, 'filter', 4);
  checkRank(ctx, out, 'output', 4);
  const [one, kh, kw, filterDepth] = filter.shape;
  const inDepth = x.shape[3];
  const outDepth = out.shape[3];
  check(ctx, one === 1, () => `filter must have shape [1,kh,kw,channels], got [${filter.shape.join(',')}]`);
  check(ctx, filterDepth === outDepth, () => `filter has ${filterDepth} channels, output has ${outDepth}`);
  // Like TFLM, the multiplier is implied by the shapes; the option is only cross-checked.
  check(
    ctx,
    inDepth > 0 &&
      outDepth % inDepth === 0 &&
      (o.depthMultiplier === 0 || o.depthMultiplier === outDepth / inDepth),
    () => `output depth ${outDepth} must be input depth ${inDepth} x depth_multiplier ${o.depthMultiplier}`,
  );
  return {
    ...windowGeometry(ctx, x, out, kh, kw, o),
    ...convQuantization(ctx, x, filter, bias, out, kDepthwiseQuantizedDimension, o.fusedActivation),
    depthMultiplier: outDepth / inDepth,
    acc: new Float64Array(outDepth),
  };
}

function evalDepthwise(ctx: KernelContext, d: DepthwiseData): void {
  const x = ctx.inputs[kInput]!.data;
  const f = ctx.inputs[kFilter]!.data;
  const bias = ctx.inputs[kBias]?.data;
  const y = ctx.outputs[0].data;
  const { inHeight, inWidth, inDepth, outHeight, outWidth, outDepth, filterHeight, filterWidth } = d;
  const { inputOffset, outputOffset, actMin, actMax, multipliers, shifts, depthMultiplier: dm, acc } = d;
  let yi = 0;
  for (let b = 0; b < d.batches; b++) {
    for (let oy = 0; oy < outHeight; oy++) {
      const iy0 = oy * d.strideH - d.padH;
      for (let ox = 0; ox < outWidth; ox++) {
        const ix0 = ox * d.strideW - d.padW;
        // Integer sums are exact in any order, so accumulate one filter tap for all channels at a time.
        acc.fill(0);
        for (let ky = 0; ky < filterHeight; ky++) {
          const iy = iy0 + ky * d.dilationH;
          if (iy < 0 || iy >= inHeight) continue;
          for (let kx = 0; kx < filterWidth; kx++) {
            const ix = ix0 + kx * d.dilationW;
            if (ix < 0 || ix >= inWidth) continue;
            const xBase = ((b * inHeight + iy) * inWidth + ix) * inDepth;
            const fBase = (ky * filterWidth + kx) * outDepth;
            if (dm === 1) {
              for (let c = 0; c < inDepth; c++) acc[c] += f[fBase + c] * (x[xBase + c] + inputOffset);
            } else {
              for (let ic = 0, oc = 0; ic < inDepth; ic++) {
                const xv = x[xBase + ic] + inputOffset;
                for (let m = 0; m < dm; m++, oc++) acc[oc] += f[fBase + oc] * xv;
              }
            }
          }
        }
        for (let oc = 0; oc < outDepth; oc++) {
          const a = bias ? acc[oc] + bias[oc] : acc[oc];
          let v = multiplyByQuantizedMultiplier(a | 0, multipliers[oc], shifts[oc]) + outputOffset;
          v = v < actMin ? actMin : v > actMax ? actMax : v;
          y[yi++] = v;
        }
      }
    }
  }
}

/** DEPTHWISE_CONV_2D kernel (int8 per-channel, any depth multiplier). */
export const depthwiseConv2dKernel: Kernel<DepthwiseData> = {
  name: 'DEPTHWISE_CONV_2D',
  prepare,
  eval: evalDepthwise,
};
