/**
 * Operator versions the TFLite converter assigns to full-int8 ops, from
 * tensorflow/lite/tools/versioning/op_version.cc (GetBuiltinOperatorVersion):
 * CONV_2D int8 in/filter/out -> 3; DEPTHWISE_CONV_2D int8 -> 3 (checked before the dilation
 * rule, so dilation does not raise it); FULLY_CONNECTED int8 with bias, keep_num_dims false -> 4;
 * MAX_POOL_2D / AVERAGE_POOL_2D int8 -> 2; SOFTMAX int8 -> 2; ADD int8 -> 2; MEAN int8 -> 2;
 * RESHAPE -> 1; QUANTIZE / DEQUANTIZE float<->int8 -> 1 / 2.
 */
export const INT8_OP_VERSIONS: Readonly<Record<string, number>> = Object.freeze({
  CONV_2D: 3,
  DEPTHWISE_CONV_2D: 3,
  FULLY_CONNECTED: 4,
  MAX_POOL_2D: 2,
  AVERAGE_POOL_2D: 2,
  SOFTMAX: 2,
  ADD: 2,
  MEAN: 2,
  RESHAPE: 1,
  QUANTIZE: 1,
  DEQUANTIZE: 2,
});
