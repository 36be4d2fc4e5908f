/** Quantization parameters kernels derive in `prepare`, following TFLite's kernel_util.cc. */
import type { FusedActivation, TensorTypeName } from '../model/tflite-model';
import { quantizeMultiplier, roundHalfAwayFromZero } from './fixed-point';
import { check, opError } from './kernel-checks';
import type { KernelContext } from './kernel';

/** Clamp bounds for an integer output, or float bounds for a float one. */
export interface ActivationRange {
  min: number;
  max: number;
}

const INTEGER_LIMITS: Partial<Record<TensorTypeName, ActivationRange>> = {
  INT8: { min: -128, max: 127 },
  UINT8: { min: 0, max: 255 },
  INT16: { min: -32768, max: 32767 },
};

/** TFLite CalculateActivationRangeQuantized: the fused activation expressed in output codes. */
export function quantizedActivationRange(
  ctx: KernelContext,
  activation: FusedActivation,
  outputType: TensorTypeName,
  outputScale: number,
  outputZeroPoint: number,
): ActivationRange {
  const limits = INTEGER_LIMITS[outputType];
  check(ctx, limits !== undefined, () => `no integer range for output type ${outputType}`);
  // Quantize() in kernel_util.cc divides in float and rounds half away from zero.
  const q = (real: number): number =>
    outputZeroPoint + roundHalfAwayFromZero(Math.fround(real / outputScale));
  switch (activation) {
    case 'NONE':
      return { ...limits };
    case 'RELU':
      return { min: Math.max(limits.min, q(0)), max: limits.max };
    case 'RELU6':
      return { min: Math.max(limits.min, q(0)), max: Math.min(limits.max, q(6)) };
    case 'RELU_N1_TO_1':
      return { min: Math.max(limits.min, q(-1)), max: Math.min(limits.max, q(1)) };
    default:
      throw checkUnsupportedActivation(ctx, activation);
  }
}

/** TFLite CalculateActivationRange for float outputs. */
export function floatActivationRange(ctx: KernelContext, activation: FusedActivation): ActivationRange {
  const big = 3.4028234663852886e38;
  switch (activation) {
    case 'NONE':
      return { min: -big, max: big };
    case 'RELU':
      return { min: 0, max: big };
    case 'RELU6':
      return { min: 0, max: 6 };
    case 'RELU_N1_TO_1':
      return { min: -1, max: 1 };
    default:
      throw checkUnsupportedActivation(ctx, activation);
  }
}

function checkUnsupportedActivation(ctx: KernelContext, activation: FusedActivation): Error {
  return opError(
    ctx,
    'UNSUPPORTED_OP',
    `fused activation ${activation} is not supported (use NONE, RELU, RELU6 or RELU_N1_TO_1)`,
  );
}

/** Per-output-channel multipliers and shifts, laid out for the eval loops. */
export interface ChannelMultipliers {
  multipliers: Int32Array;
  shifts: Int32Array;
}

/**
 * TFLite PopulateConvolutionQuantizationParams: input_scale * filter_scale[c] / output_scale in
 * double, one QuantizeMultiplier per channel (a single filter scale is broadcast).
 */
export function channelMultipliers(
  inputScale: number,
  filterScales: readonly number[],
  outputScale: number,
  channels: number,
): ChannelMultipliers {
  const multipliers = new Int32Array(channels);
  const shifts = new Int32Array(channels);
  for (let c = 0; c < channels; c++) {
    const filterScale = filterScales.length > 1 ? filterScales[c] : filterScales[0];
    const q = quantizeMultiplier((inputScale * filterScale) / outputScale);
    multipliers[c] = q.multiplier;
    shifts[c] = q.shift;
  }
  return { multipliers, shifts };
}
