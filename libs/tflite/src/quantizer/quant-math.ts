/**
 * The int8 arithmetic of TFLite's full-integer post-training quantization: asymmetric per-tensor
 * activations, symmetric per-channel (or per-tensor) weights, int32 biases.
 */
import type { QuantizationParams } from '../model/tflite-model';

/** Scale and zero point of one per-tensor int8 quantization. */
export interface AffineParams {
  scale: number;
  zeroPoint: number;
}

const QMIN = -128;
const QMAX = 127;
/** Weights use the narrow range [-127, 127] so that -w is representable (TFLite's rule). */
const WEIGHT_QMAX = 127;

/**
 * int8 activation parameters for a calibrated range: the range is widened to include 0 (so 0 is
 * exact, as padding needs), scale = (max - min) / 255, zero point = round(-128 - min / scale).
 */
export function activationParams(min: number, max: number): AffineParams {
  const lo = Math.min(min, 0);
  const hi = Math.max(max, 0);
  // An all-zero tensor still needs a positive scale; any value represents 0 exactly.
  const scale = hi > lo ? (hi - lo) / (QMAX - QMIN) : 1;
  const zeroPoint = Math.min(QMAX, Math.max(QMIN, Math.round(QMIN - lo / scale)));
  return { scale, zeroPoint };
}

/** Quantizes `x` with per-tensor params, rounding half away from zero and saturating to int8. */
export function quantizeInt8(x: number, p: AffineParams): number {
  const q = roundHalfAway(x / p.scale) + p.zeroPoint;
  return Math.min(QMAX, Math.max(QMIN, q));
}

/** Rounds half away from zero, like C's std::round that TFLite uses. */
export function roundHalfAway(x: number): number {
  return Math.sign(x) * Math.round(Math.abs(x));
}

/** Symmetric int8 weights with one scale per slice along the last axis of `w` (`channels`). */
export interface QuantizedWeights {
  values: Int8Array;
  scales: number[];
}

/**
 * Symmetric quantization along the last axis of a row-major array with `channels` in the last
 * dimension (TF.js kernel layout): scale[c] = max|w[..., c]| / 127, q = round(w / scale[c]).
 * With `perChannel` false one scale covers the whole tensor.
 */
export function quantizeWeightsLastAxis(
  w: Float32Array,
  channels: number,
  perChannel: boolean,
): QuantizedWeights {
  const maxAbs = new Array<number>(channels).fill(0);
  for (let i = 0; i < w.length; i++) {
    const c = i % channels;
    maxAbs[c] = Math.max(maxAbs[c], Math.abs(w[i]));
  }
  const scaleOf = (m: number): number => (m > 0 ? m / WEIGHT_QMAX : 1);
  const scales = perChannel ? maxAbs.map(scaleOf) : [scaleOf(Math.max(...maxAbs))];
  const values = new Int8Array(w.length);
  for (let i = 0; i < w.length; i++) {
    const s = scales[perChannel ? i % channels : 0];
    values[i] = Math.min(WEIGHT_QMAX, Math.max(-WEIGHT_QMAX, roundHalfAway(w[i] / s)));
  }
  return { values, scales };
}

/**
 * int32 bias with scale input_scale * weight_scale[c] (zero point 0), as every TFLite int8 kernel
 * expects: the bias is added straight into the int32 accumulator.
 */
export function quantizeBias(
  bias: Float32Array,
  inputScale: number,
  weightScales: number[],
): { values: Int32Array; scales: number[] } {
  const scales = weightScales.map((s) => inputScale * s);
  const values = new Int32Array(bias.length);
  for (let c = 0; c < bias.length; c++) {
    const s = scales[scales.length === 1 ? 0 : c];
    values[c] = Math.max(-2147483647, Math.min(2147483647, roundHalfAway(bias[c] / s)));
  }
  return { values, scales };
}

/** Schema quantization for a per-tensor int8 activation. */
export function perTensorQuantization(p: AffineParams): QuantizationParams {
  return { scale: [p.scale], zeroPoint: [p.zeroPoint], quantizedDimension: 0 };
}

/** Schema quantization for symmetric weights or biases (zero points all 0). */
export function symmetricQuantization(scales: number[], quantizedDimension: number): QuantizationParams {
  return { scale: scales, zeroPoint: scales.map(() => 0), quantizedDimension };
}
