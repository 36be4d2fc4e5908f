/**
 * The quantizer's intermediate form: the Keras graph after BatchNormalization folding,
 * activation fusion and Dropout removal, one entry per TFLite operator it will become. Weights
 * stay float and in TF.js layouts until the int8 model is built.
 */
import type { FusedActivation, Padding } from '../model/tflite-model';

/** One activation tensor; `shape` includes the batch dimension (1 in the TFLite model). */
export interface FloatValue {
  name: string;
  shape: number[];
}

interface OpBase {
  /** Keras layer name the op comes from (used to name tensors). */
  name: string;
  inputs: number[];
  output: number;
}

/** Conv2D or DepthwiseConv2D with a folded bias; kernel in TF.js layout [kh, kw, in, out|mult]. */
export interface FloatConvOp extends OpBase {
  kind: 'conv2d' | 'depthwise';
  kernel: Float32Array;
  kernelShape: [number, number, number, number];
  bias: Float32Array;
  strides: [number, number];
  dilation: [number, number];
  padding: Padding;
  activation: FusedActivation;
}

/** Dense with kernel [in, out] (TF.js layout) and a folded bias. */
export interface FloatDenseOp extends OpBase {
  kind: 'dense';
  kernel: Float32Array;
  kernelShape: [number, number];
  bias: Float32Array;
  activation: FusedActivation;
}

export interface FloatPoolOp extends OpBase {
  kind: 'maxPool' | 'avgPool';
  pool: [number, number];
  strides: [number, number];
  padding: Padding;
}

export interface FloatAddOp extends OpBase {
  kind: 'add';
  activation: FusedActivation;
}

/** MEAN over H and W (GlobalAveragePooling2D), RESHAPE (to `value.shape`), SOFTMAX (last axis). */
export interface FloatSimpleOp extends OpBase {
  kind: 'mean' | 'reshape' | 'softmax';
}

export type FloatOp = FloatConvOp | FloatDenseOp | FloatPoolOp | FloatAddOp | FloatSimpleOp;

/** Ops whose fused activation can absorb a following ReLU/ReLU6. */
export type FusableOp = FloatConvOp | FloatDenseOp | FloatAddOp;

export interface FloatGraph {
  values: FloatValue[];
  /** In execution order. */
  ops: FloatOp[];
  inputs: number[];
  outputs: number[];
}
