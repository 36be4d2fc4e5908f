/** BatchNormalization folding into the preceding Conv2D / DepthwiseConv2D / Dense. */

/** Inference-time BatchNormalization parameters, one entry per channel. */
export interface BatchNormParams {
  gamma: Float32Array;
  beta: Float32Array;
  movingMean: Float32Array;
  movingVariance: Float32Array;
  epsilon: number;
}

/**
 * Folds BN into a kernel whose output channels are its last axis (every TF.js kernel layout,
 * depthwise flattened as in*mult): k = gamma / sqrt(var + eps); w' = w * k; b' = (b - mean) * k + beta.
 * Computed in float64 and rounded once to float32, so the folded model differs from the
 * unfolded one only by float32 rounding.
 */
export function foldBatchNorm(
  kernel: Float32Array,
  bias: Float32Array,
  bn: BatchNormParams,
): { kernel: Float32Array; bias: Float32Array } {
  const channels = bias.length;
  const k = new Float64Array(channels);
  for (let c = 0; c < channels; c++) k[c] = bn.gamma[c] / Math.sqrt(bn.movingVariance[c] + bn.epsilon);
  const folded = new Float32Array(kernel.length);
  for (let i = 0; i < kernel.length; i++) folded[i] = kernel[i] * k[i % channels];
  const foldedBias = new Float32Array(channels);
  for (let c = 0; c < channels; c++) foldedBias[c] = (bias[c] - bn.movingMean[c]) * k[c] + bn.beta[c];
  return { kernel: folded, bias: foldedBias };
}
