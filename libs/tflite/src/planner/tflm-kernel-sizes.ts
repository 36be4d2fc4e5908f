/**
 * Sizes of what TFLM kernels keep in the persistent (tail) part of the arena, per builtin op,
 * for a build whose pointers are `p` bytes (8 on an x86-64 host, 4 on an ESP32 or Cortex-M).
 * Read off the struct definitions in tflite-micro (tensorflow/lite/core/c/builtin_op_data.h for
 * the parsed options, tensorflow/lite/micro/kernels/<op>.h / <op>_common.cc for OpData), laid
 * out with natural alignment. They are estimates of compiler layout, not measurements.
 */
export interface KernelFootprint {
  /** Parsed builtin options (`TfLite<Op>Params`), allocated at the struct's own alignment. */
  params: number;
  /** Kernel state from Init (`OpData`), allocated 16-byte aligned. 0 when the kernel keeps none. */
  opData: (p: number) => number;
  /** Per-channel int32 multiplier and shift arrays allocated in Prepare (conv-like kernels). */
  perChannel?: 'always' | 'per-channel-filter';
}

const alignTo = (n: number, a: number): number => Math.ceil(n / a) * a;

// OpDataConv: TfLitePaddingValues (4 ints) + 5 int32 + 2 pointers + 2 int32 activation bounds +
// filter_buffer_index; shared by CONV_2D and DEPTHWISE_CONV_2D.
const opDataConv = (p: number): number => alignTo(16 + 20, p) + 2 * p + 12;

const FOOTPRINTS: Record<string, KernelFootprint> = {
  // TfLiteConvParams: padding, 2 strides, activation, 2 dilations, quantized_bias_type.
  CONV_2D: { params: 28, opData: opDataConv, perChannel: 'always' },
  // TfLiteDepthwiseConvParams: padding, 2 strides, depth_multiplier, activation, 2 dilations.
  DEPTHWISE_CONV_2D: { params: 28, opData: opDataConv, perChannel: 'always' },
  // TfLiteFullyConnectedParams (activation, weights_format, 2 bools, bias type); OpData: 7 int32,
  // 2 per-channel pointers and a flag.
  FULLY_CONNECTED: {
    params: 16,
    opData: (p) => alignTo(28, p) + 2 * p + p,
    perChannel: 'per-channel-filter',
  },
  // TfLitePoolParams: 6 ints + computed TfLitePaddingValues; OpDataPooling: padding + int and
  // float activation bounds.
  AVERAGE_POOL_2D: { params: 40, opData: () => 32 },
  MAX_POOL_2D: { params: 40, opData: () => 32 },
  // TfLiteReshapeParams: shape[8] + num_dimensions. No kernel state.
  RESHAPE: { params: 36, opData: () => 0 },
  // TfLiteSoftmaxParams: beta. SoftmaxParams: beta (double), 7 int32/float fields, 3 LUT pointers.
  SOFTMAX: { params: 4, opData: (p) => alignTo(8 + 28, p) + 3 * p },
  // TfLiteAddParams: activation + pot_scale_int16. OpDataAdd: ~17 int32 multipliers/shifts/offsets
  // plus float activation bounds.
  ADD: { params: 8, opData: () => 80 },
  SUB: { params: 8, opData: () => 80 },
  MUL: { params: 4, opData: () => 40 },
  // TfLiteConcatenationParams: axis + activation. OpData: ConcatenationParams with 4 pointers.
  CONCATENATION: { params: 8, opData: (p) => 16 + 4 * p },
  MEAN: { params: 4, opData: () => 48 },
  QUANTIZE: { params: 0, opData: () => 32 },
  DEQUANTIZE: { params: 0, opData: () => 32 },
  LOGISTIC: { params: 0, opData: () => 32 },
};

/** Used for ops not in the table: generous for the simple elementwise kernels TFLM has. */
const DEFAULT_FOOTPRINT: KernelFootprint = { params: 16, opData: () => 64 };

/** The persistent footprint TFLM's kernel for `builtinCode` allocates, or a generous default. */
export function kernelFootprint(builtinCode: string): KernelFootprint {
  return FOOTPRINTS[builtinCode] ?? DEFAULT_FOOTPRINT;
}
