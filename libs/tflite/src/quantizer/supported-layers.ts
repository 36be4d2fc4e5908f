/** TF.js layer classes the quantizer converts, named in UNSUPPORTED_LAYER errors. */
export const SUPPORTED_LAYERS: readonly string[] = Object.freeze([
  'InputLayer',
  'Conv2D',
  'DepthwiseConv2D',
  'Dense',
  'BatchNormalization',
  'ReLU',
  'Activation (relu, relu6, softmax, linear)',
  'Softmax',
  'MaxPooling2D',
  'AveragePooling2D',
  'GlobalAveragePooling2D',
  'Flatten',
  'Reshape',
  'Dropout',
  'Add',
]);

/** The sentence appended to UNSUPPORTED_LAYER errors. */
export function supportedLayersHint(): string {
  return `Supported layers: ${SUPPORTED_LAYERS.join(', ')}.`;
}
