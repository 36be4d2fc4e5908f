/**
 * The in-memory form of a `.tflite` file that every part of libs/tflite shares: the reader
 * produces it, the writer serialises it, the quantizer builds it and the interpreter runs it.
 * Plain data (no flatbuffer accessors) so it can be built by hand in tests and compared deeply.
 * Names follow the TFLite schema (version 3); enum values are their schema names.
 */

/** Element types of tensors, by their schema name. */
export type TensorTypeName =
  | 'FLOAT32'
  | 'FLOAT16'
  | 'INT32'
  | 'UINT8'
  | 'INT64'
  | 'STRING'
  | 'BOOL'
  | 'INT16'
  | 'COMPLEX64'
  | 'INT8'
  | 'FLOAT64';

export type Padding = 'SAME' | 'VALID';

/** Fused activations as the schema's ActivationFunctionType names them. */
export type FusedActivation = 'NONE' | 'RELU' | 'RELU_N1_TO_1' | 'RELU6' | 'TANH' | 'SIGN_BIT';

/** Affine quantization: real = scale * (q - zeroPoint), per tensor or per `quantizedDimension`. */
export interface QuantizationParams {
  scale: number[];
  zeroPoint: number[];
  min?: number[];
  max?: number[];
  quantizedDimension: number;
}

export interface Tensor {
  name: string;
  shape: number[];
  /** -1 marks a dynamic dimension; absent when equal to `shape`. */
  shapeSignature?: number[];
  type: TensorTypeName;
  /** Index into `TfliteModel.buffers`; 0 is the empty buffer (activations, inputs, outputs). */
  buffer: number;
  quantization?: QuantizationParams;
  isVariable?: boolean;
}

export interface Conv2DOptions {
  kind: 'Conv2DOptions';
  padding: Padding;
  strideW: number;
  strideH: number;
  dilationWFactor: number;
  dilationHFactor: number;
  fusedActivation: FusedActivation;
}

export interface DepthwiseConv2DOptions {
  kind: 'DepthwiseConv2DOptions';
  padding: Padding;
  strideW: number;
  strideH: number;
  depthMultiplier: number;
  dilationWFactor: number;
  dilationHFactor: number;
  fusedActivation: FusedActivation;
}

export interface FullyConnectedOptions {
  kind: 'FullyConnectedOptions';
  fusedActivation: FusedActivation;
  keepNumDims: boolean;
}

export interface Pool2DOptions {
  kind: 'Pool2DOptions';
  padding: Padding;
  strideW: number;
  strideH: number;
  filterWidth: number;
  filterHeight: number;
  fusedActivation: FusedActivation;
}

export interface ReshapeOptions {
  kind: 'ReshapeOptions';
  newShape: number[];
}

export interface SoftmaxOptions {
  kind: 'SoftmaxOptions';
  beta: number;
}

export interface AddOptions {
  kind: 'AddOptions';
  fusedActivation: FusedActivation;
}

export interface ReducerOptions {
  kind: 'ReducerOptions';
  keepDims: boolean;
}

export interface ConcatenationOptions {
  kind: 'ConcatenationOptions';
  axis: number;
  fusedActivation: FusedActivation;
}

/** Builtin options the project reads and writes; others are kept as `undefined`. */
export type BuiltinOptions =
  | Conv2DOptions
  | DepthwiseConv2DOptions
  | FullyConnectedOptions
  | Pool2DOptions
  | ReshapeOptions
  | SoftmaxOptions
  | AddOptions
  | ReducerOptions
  | ConcatenationOptions;

export interface OperatorCode {
  /** Schema BuiltinOperator name, e.g. 'CONV_2D'; 'CUSTOM' with `customCode` for custom ops. */
  builtinCode: string;
  version: number;
  customCode?: string;
}

export interface Operator {
  opcodeIndex: number;
  /** Tensor indices; -1 marks an omitted optional input (e.g. no bias). */
  inputs: number[];
  outputs: number[];
  options?: BuiltinOptions;
}

export interface SubGraph {
  name: string;
  tensors: Tensor[];
  inputs: number[];
  outputs: number[];
  operators: Operator[];
}

export interface Metadata {
  name: string;
  buffer: number;
}

export interface TfliteModel {
  /** Schema version; 3 for every current file. */
  version: number;
  description: string;
  operatorCodes: OperatorCode[];
  subgraphs: SubGraph[];
  /** Raw little-endian tensor data; index 0 is always empty by convention. */
  buffers: Uint8Array[];
  metadata: Metadata[];
}
