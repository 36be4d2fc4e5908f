/** Shared `prepare` work of the windowed int8 ops (CONV_2D, DEPTHWISE_CONV_2D): geometry and requantization. */
import type { FusedActivation, Padding } from '../model/tflite-model';
import { check, checkSupported, perTensorQuant } from './kernel-checks';
import type { KernelContext, RuntimeTensor } from './kernel';
import { computeOutSize, computePadding } from './padding';
import { channelMultipliers, quantizedActivationRange, type ChannelMultipliers } from './quant-params';

/** Spatial geometry of a 4-D NHWC window op. */
export interface WindowGeometry {
  batches: number;
  inHeight: number;
  inWidth: number;
  inDepth: number;
  outHeight: number;
  outWidth: number;
  outDepth: number;
  filterHeight: number;
  filterWidth: number;
  strideH: number;
  strideW: number;
  dilationH: number;
  dilationW: number;
  padH: number;
  padW: number;
}

/** Computes and checks the output geometry against the model's output shape. */
export function windowGeometry(
  ctx: KernelContext,
  input: RuntimeTensor,
  output: RuntimeTensor,
  filterHeight: number,
  filterWidth: number,
  o: {
    padding: Padding;
    strideH: number;
    strideW: number;
    dilationHFactor?: number;
    dilationWFactor?: number;
  },
): WindowGeometry {
  const [batches, inHeight, inWidth, inDepth] = input.shape;
  const dilationH = o.dilationHFactor ?? 1;
  const dilationW = o.dilationWFactor ?? 1;
  check(
    ctx,
    o.strideH > 0 && o.strideW > 0 && dilationH > 0 && dilationW > 0,
    () => 'strides and dilations must be positive',
  );
  const outHeight = computeOutSize(o.padding, inHeight, filterHeight, o.strideH, dilationH);
  const outWidth = computeOutSize(o.padding, inWidth, filterWidth, o.strideW, dilationW);
  const [ob, oh, ow] = output.shape;
  check(
    ctx,
    ob === batches && oh === outHeight && ow === outWidth,
    () =>
      `output shape [${output.shape.join(',')}] does not match ${o.padding} padding of input ` +
      `[${input.shape.join(',')}] with ${filterHeight}x${filterWidth} window, stride ${o.strideH}x${o.strideW} ` +
      `(expected [${batches},${outHeight},${outWidth},...])`,
  );
  return {
    batches,
    inHeight,
    inWidth,
    inDepth,
    outHeight,
    outWidth,
    outDepth: output.shape[3],
    filterHeight,
    filterWidth,
    strideH: o.strideH,
    strideW: o.strideW,
    dilationH,
    dilationW,
    padH: computePadding(o.strideH, dilationH, inHeight, filterHeight, outHeight),
    padW: computePadding(o.strideW, dilationW, inWidth, filterWidth, outWidth),
  };
}

/** Everything an int8 per-channel conv needs to requantize its accumulators. */
export interface ConvQuantization extends ChannelMultipliers {
  inputOffset: number;
  outputOffset: number;
  actMin: number;
  actMax: number;
}

/**
 * Validates int8 conv quantization (symmetric int8 filter, per channel along `quantizedDim` or
 * per tensor, int32 bias) and derives per-channel multipliers.
 */
export function convQuantization(
  ctx: KernelContext,
  input: RuntimeTensor,
  filter: RuntimeTensor,
  bias: RuntimeTensor | undefined,
  output: RuntimeTensor,
  quantizedDim: number,
  activation: FusedActivation,
): ConvQuantization {
  const channels = output.shape[3];
  const inQ = perTensorQuant(ctx, input, 'input');
  const outQ = perTensorQuant(ctx, output, 'output');
  const perChannel = filter.scale.length > 1;
  checkSupported(
    ctx,
    filter.type === 'INT8' &&
      filter.scale.length >= 1 &&
      filter.zeroPoint.every((z) => z === 0) &&
      (!perChannel || (filter.scale.length === channels && filter.quantizedDimension === quantizedDim)),
    () =>
      `filter must be int8 per-channel (quantized_dimension ${quantizedDim}, ${channels} scales) or per-tensor ` +
      `with zero point 0, got ${filter.type} with ${filter.scale.length} scales, zero points ` +
      `[${filter.zeroPoint.slice(0, 4).join(',')}${filter.zeroPoint.length > 4 ? ',...' : ''}], ` +
      `quantized_dimension ${filter.quantizedDimension}`,
  );
  if (bias) {
    checkSupported(ctx, bias.type === 'INT32', () => `bias must be int32 for int8 input, got ${bias.type}`);
    check(
      ctx,
      bias.data.length === channels,
      () => `bias has ${bias.data.length} values for ${channels} channels`,
    );
  }
  const range = quantizedActivationRange(ctx, activation, output.type, outQ.scale, outQ.zeroPoint);
  return {
    ...channelMultipliers(inQ.scale, filter.scale, outQ.scale, channels),
    inputOffset: -inQ.zeroPoint,
    outputOffset: outQ.zeroPoint,
    actMin: range.min,
    actMax: range.max,
  };
}
