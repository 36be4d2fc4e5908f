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
  /**
   * One group only: the filter as [kh, kw, in_c, out_c], so the innermost loop runs over output
   * channels in memory order, and per-tap sums [kh * kw, out_c] for windows cut by padding.
   */
  ungrouped?: { filter: Float64Array; tapSums: Float64Array; acc: Float64Array; partial: Float64Array };
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
    ungrouped: groups === 1 ? transposeFilter(filter.data, outChannels, kh * kw, inDepth) : undefined,
  };
}

/** Transposed filters by the filter's weights: interpreters of one model share them. */
const transposed = new WeakMap<TensorData, { dims: string; filter: Float64Array; tapSums: Float64Array }>();

function transposeFilter(
  f: TensorData,
  outChannels: number,
  taps: number,
  inDepth: number,
): NonNullable<Conv2DData['ungrouped']> {
  const dims = `${outChannels}x${taps}x${inDepth}`;
  let shared = transposed.get(f);
  // Two tensors may view one buffer with different shapes; each shape gets its own layout.
  if (shared?.dims !== dims) {
    shared = { dims, filter: new Float64Array(f.length), tapSums: new Float64Array(taps * outChannels) };
    for (let oc = 0; oc < outChannels; oc++) {
      for (let t = 0; t < taps; t++) {
        for (let ic = 0; ic < inDepth; ic++) {
          const v = f[(oc * taps + t) * inDepth + ic];
          shared.filter[(t * inDepth + ic) * outChannels + oc] = v;
          shared.tapSums[t * outChannels + oc] += v;
        }
      }
    }
    transposed.set(f, shared);
  }
  const { filter, tapSums } = shared;
  return { filter, tapSums, acc: new Float64Array(outChannels), partial: new Float64Array(outChannels) };
}

function requantize(acc: number, oc: number, d: Conv2DData): number {
  const v = multiplyByQuantizedMultiplier(acc | 0, d.multipliers[oc], d.shifts[oc]) + d.outputOffset;
  return v < d.actMin ? d.actMin : v > d.actMax ? d.actMax : v;
}

/**
 * One group: per output pixel, every tap inside the image adds input x filter row into all
 * output channels' accumulators at once. Integer sums are exact in float64, so the order of
 * accumulation cannot change a result.
 */
function evalUngrouped(x: TensorData, bias: TensorData | undefined, y: TensorData, d: Conv2DData): void {
  const { filter, tapSums, acc, partial } = d.ungrouped!;
  const { inHeight, inWidth, inDepth, outHeight, outWidth, outDepth, filterHeight, filterWidth } = d;
  const { inputOffset, filterSums, strideH, strideW, padH, padW, dilationH, dilationW } = d;
  let yi = 0;
  for (let b = 0; b < d.batches; b++) {
    for (let oy = 0; oy < outHeight; oy++) {
      const iy0 = oy * strideH - padH;
      const rowsInside = iy0 >= 0 && iy0 + (filterHeight - 1) * dilationH < inHeight;
      for (let ox = 0; ox < outWidth; ox++) {
        const ix0 = ox * strideW - padW;
        // Only a window cut by padding needs the filter sum over its inside taps.
        const inside = rowsInside && ix0 >= 0 && ix0 + (filterWidth - 1) * dilationW < inWidth;
        acc.fill(0);
        if (!inside) partial.fill(0);
        for (let ky = 0; ky < filterHeight; ky++) {
          const iy = iy0 + ky * dilationH;
          if (iy < 0 || iy >= inHeight) continue;
          for (let kx = 0; kx < filterWidth; kx++) {
            const ix = ix0 + kx * dilationW;
            // Zero padding: positions outside the image contribute nothing.
            if (ix < 0 || ix >= inWidth) continue;
            const tap = ky * filterWidth + kx;
            const xBase = ((b * inHeight + iy) * inWidth + ix) * inDepth;
            let row = tap * inDepth * outDepth;
            let ic = 0;
            // Four input channels per pass over the accumulators: half the loads and stores.
            for (; ic + 4 <= inDepth; ic += 4, row += 4 * outDepth) {
              const x0 = x[xBase + ic];
              const x1 = x[xBase + ic + 1];
              const x2 = x[xBase + ic + 2];
              const x3 = x[xBase + ic + 3];
              const r1 = row + outDepth;
              const r2 = r1 + outDepth;
              const r3 = r2 + outDepth;
              for (let oc = 0; oc < outDepth; oc++)
                acc[oc] +=
                  filter[row + oc] * x0 + filter[r1 + oc] * x1 + filter[r2 + oc] * x2 + filter[r3 + oc] * x3;
            }
            for (; ic < inDepth; ic++, row += outDepth) {
              const xv = x[xBase + ic];
              for (let oc = 0; oc < outDepth; oc++) acc[oc] += filter[row + oc] * xv;
            }
            if (!inside)
              for (let oc = 0, t = tap * outDepth; oc < outDepth; oc++) partial[oc] += tapSums[t + oc];
          }
        }
        // sum(f * (x + offset)) = sum(f * x) + offset * sum(f), the latter over taps inside the image.
        for (let oc = 0; oc < outDepth; oc++) {
          const offsetTerm = inputOffset * (inside ? filterSums[oc] : partial[oc]);
          y[yi++] = requantize(acc[oc] + offsetTerm + (bias ? bias[oc] : 0), oc, d);
        }
      }
    }
  }
}

function evalConv(ctx: KernelContext, d: Conv2DData): void {
  const x = ctx.inputs[kInput]!.data;
  const f = ctx.inputs[kFilter]!.data;
  const bias = ctx.inputs[kBias]?.data;
  const y = ctx.outputs[0].data;
  if (d.ungrouped) return evalUngrouped(x, bias, y, d);
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
