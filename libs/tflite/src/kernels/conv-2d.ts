/**
 * CONV_2D, int8 per-channel: TFLM reference_integer_ops::ConvPerChannel. Filter layout
 * [out_c, kh, kw, in_c / groups]; int32 accumulation of filter * (input - input_zp), bias,
 * per-channel requantization, output zero point, activation clamp.
 */
import { multiplyByQuantizedMultiplier } from './fixed-point';
import { check, checkArity, checkRank, checkSupported, checkType, input, options } from './kernel-checks';
import type { Kernel, KernelContext, TensorData } from './kernel';
import { convQuantization, windowGeometry, type ConvQuantization, type WindowGeometry } from './conv-window';

const kInput = 0;
const kFilter = 1;
const kBias = 2;

interface Conv2DData extends WindowGeometry, ConvQuantization {
  filterInDepth: number;
  filtersPerGroup: number;
  /** Sum of each output channel's filter weights, to apply the input offset once per window. */
  filterSums: Float64Array;
  /** 1x1 window, stride 1, no padding, one group. */
  pointwise: boolean;
}

function prepare(ctx: KernelContext): Conv2DData {
  checkArity(ctx, 2, 1, 3);
  const o = options(ctx, 'Conv2DOptions');
  const x = input(ctx, kInput, 'input');
  const filter = input(ctx, kFilter, 'filter');
  const bias = ctx.inputs[kBias];
  const out = ctx.outputs[0];
  checkType(ctx, x, 'input', ['INT8']);
  checkType(ctx, out, 'output', ['INT8']);
  checkRank(ctx, x, 'input', 4);
  checkRank(ctx, filter, 'filter', 4);
  checkRank(ctx, out, 'output', 4);
  const [outChannels, kh, kw, filterInDepth] = filter.shape;
  const inDepth = x.shape[3];
  check(
    ctx,
    out.shape[3] === outChannels,
    () => `output has ${out.shape[3]} channels, filter has ${outChannels}`,
  );
  check(
    ctx,
    filterInDepth > 0 && inDepth % filterInDepth === 0 && outChannels % (inDepth / filterInDepth) === 0,
    () => `input depth ${inDepth} is not a multiple of filter depth ${filterInDepth} (grouped conv)`,
  );
  checkSupported(ctx, filter.isConstant, () => 'filter must be a constant tensor (weights in the model)');
  const groups = inDepth / filterInDepth;
  const geometry = windowGeometry(ctx, x, out, kh, kw, o);
  const filterSums = new Float64Array(outChannels);
  const taps = kh * kw * filterInDepth;
  for (let oc = 0; oc < outChannels; oc++) {
    for (let i = 0; i < taps; i++) filterSums[oc] += filter.data[oc * taps + i];
  }
  return {
    ...geometry,
    ...convQuantization(ctx, x, filter, bias, out, 0, o.fusedActivation),
    filterInDepth,
    filtersPerGroup: outChannels / groups,
    filterSums,
    pointwise: kh === 1 && kw === 1 && groups === 1 && geometry.strideH === 1 && geometry.strideW === 1,
  };
}

function requantize(acc: number, oc: number, d: Conv2DData): number {
  const v = multiplyByQuantizedMultiplier(acc | 0, d.multipliers[oc], d.shifts[oc]) + d.outputOffset;
  return v < d.actMin ? d.actMin : v > d.actMax ? d.actMax : v;
}

/** 1x1, stride 1, one group: a matrix product of pixels by filters (most of MobileNet's work). */
function evalPointwise(
  x: TensorData,
  f: TensorData,
  bias: TensorData | undefined,
  y: TensorData,
  d: Conv2DData,
): void {
  const { inDepth, outDepth, inputOffset, filterSums } = d;
  const pixels = d.batches * d.outHeight * d.outWidth;
  const blocked = outDepth - (outDepth % 4);
  for (let p = 0; p < pixels; p++) {
    const xBase = p * inDepth;
    const yBase = p * outDepth;
    // Four output channels at a time share each input load.
    let oc = 0;
    for (; oc < blocked; oc += 4) {
      const f0 = oc * inDepth;
      const f1 = f0 + inDepth;
      const f2 = f1 + inDepth;
      const f3 = f2 + inDepth;
      let a0 = 0;
      let a1 = 0;
      let a2 = 0;
      let a3 = 0;
      for (let ic = 0; ic < inDepth; ic++) {
        const xv = x[xBase + ic];
        a0 += f[f0 + ic] * xv;
        a1 += f[f1 + ic] * xv;
        a2 += f[f2 + ic] * xv;
        a3 += f[f3 + ic] * xv;
      }
      y[yBase + oc] = requantize(a0 + inputOffset * filterSums[oc] + (bias ? bias[oc] : 0), oc, d);
      y[yBase + oc + 1] = requantize(
        a1 + inputOffset * filterSums[oc + 1] + (bias ? bias[oc + 1] : 0),
        oc + 1,
        d,
      );
      y[yBase + oc + 2] = requantize(
        a2 + inputOffset * filterSums[oc + 2] + (bias ? bias[oc + 2] : 0),
        oc + 2,
        d,
      );
      y[yBase + oc + 3] = requantize(
        a3 + inputOffset * filterSums[oc + 3] + (bias ? bias[oc + 3] : 0),
        oc + 3,
        d,
      );
    }
    for (; oc < outDepth; oc++) {
      const fBase = oc * inDepth;
      let acc = 0;
      for (let ic = 0; ic < inDepth; ic++) acc += f[fBase + ic] * x[xBase + ic];
      y[yBase + oc] = requantize(acc + inputOffset * filterSums[oc] + (bias ? bias[oc] : 0), oc, d);
    }
  }
}

function evalConv(ctx: KernelContext, d: Conv2DData): void {
  const x = ctx.inputs[kInput]!.data;
  const f = ctx.inputs[kFilter]!.data;
  const bias = ctx.inputs[kBias]?.data;
  const y = ctx.outputs[0].data;
  if (d.pointwise) return evalPointwise(x, f, bias, y, d);
  const {
    inHeight,
    inWidth,
    inDepth,
    outHeight,
    outWidth,
    outDepth,
    filterHeight,
    filterWidth,
    filterInDepth,
  } = d;
  const { inputOffset, filterSums, strideH, strideW, padH, padW, dilationH, dilationW } = d;
  let yi = 0;
  for (let b = 0; b < d.batches; b++) {
    for (let oy = 0; oy < outHeight; oy++) {
      const iy0 = oy * strideH - padH;
      const rowsInside = iy0 >= 0 && iy0 + (filterHeight - 1) * dilationH < inHeight;
      for (let ox = 0; ox < outWidth; ox++) {
        const ix0 = ox * strideW - padW;
        const inside = rowsInside && ix0 >= 0 && ix0 + (filterWidth - 1) * dilationW < inWidth;
        for (let oc = 0; oc < outDepth; oc++) {
          const groupBase = Math.trunc(oc / d.filtersPerGroup) * filterInDepth;
          // sum(f * (x + offset)) = sum(f * x) + offset * sum(f), the latter over taps inside the image.
          let acc = 0;
          let tapSum = 0;
          for (let ky = 0; ky < filterHeight; ky++) {
            const iy = iy0 + ky * dilationH;
            if (iy < 0 || iy >= inHeight) continue;
            for (let kx = 0; kx < filterWidth; kx++) {
              const ix = ix0 + kx * dilationW;
              // Zero padding: positions outside the image contribute nothing.
              if (ix < 0 || ix >= inWidth) continue;
              const xBase = ((b * inHeight + iy) * inWidth + ix) * inDepth + groupBase;
              const fBase = ((oc * filterHeight + ky) * filterWidth + kx) * filterInDepth;
              for (let ic = 0; ic < filterInDepth; ic++) {
                const fv = f[fBase + ic];
                acc += fv * x[xBase + ic];
                if (!inside) tapSum += fv;
              }
            }
          }
          acc += inputOffset * (inside ? filterSums[oc] : tapSum);
          if (bias) acc += bias[oc];
          y[yi++] = requantize(acc, oc, d);
        }
      }
    }
  }
}

/** CONV_2D kernel (int8 per-channel). */
export const conv2dKernel: Kernel<Conv2DData> = { name: 'CONV_2D', prepare, eval: evalConv };
