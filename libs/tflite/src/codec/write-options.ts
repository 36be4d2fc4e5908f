import type { Builder, Offset } from 'flatbuffers';
import {
  AddOptions,
  BuiltinOptions as UnionType,
  ConcatenationOptions,
  Conv2DOptions,
  DepthwiseConv2DOptions,
  FullyConnectedOptions,
  FullyConnectedOptionsWeightsFormat,
  Pool2DOptions,
  ReducerOptions,
  ReshapeOptions,
  SoftmaxOptions,
  TensorType,
} from '../generated/tflite_generated';
import type { BuiltinOptions } from '../model/tflite-model';
import { activationCode, paddingCode } from './enum-names';

/** An options table written into the builder, with its BuiltinOptions union type. */
export interface WrittenOptions {
  type: UnionType;
  offset: Offset;
}

/** Serialises one operator's builtin options; fields the model lacks get schema defaults. */
export function writeOptions(b: Builder, o: BuiltinOptions): WrittenOptions {
  switch (o.kind) {
    case 'Conv2DOptions':
      return {
        type: UnionType.Conv2DOptions,
        offset: Conv2DOptions.createConv2DOptions(
          b,
          paddingCode(o.padding),
          o.strideW,
          o.strideH,
          activationCode(o.fusedActivation),
          o.dilationWFactor,
          o.dilationHFactor,
          TensorType.FLOAT32, // The schema default: "no explicit bias type".
        ),
      };
    case 'DepthwiseConv2DOptions':
      return {
        type: UnionType.DepthwiseConv2DOptions,
        offset: DepthwiseConv2DOptions.createDepthwiseConv2DOptions(
          b,
          paddingCode(o.padding),
          o.strideW,
          o.strideH,
          o.depthMultiplier,
          activationCode(o.fusedActivation),
          o.dilationWFactor,
          o.dilationHFactor,
        ),
      };
    case 'FullyConnectedOptions':
      return {
        type: UnionType.FullyConnectedOptions,
        offset: FullyConnectedOptions.createFullyConnectedOptions(
          b,
          activationCode(o.fusedActivation),
          FullyConnectedOptionsWeightsFormat.DEFAULT,
          o.keepNumDims,
          false,
          TensorType.FLOAT32,
        ),
      };
    case 'Pool2DOptions':
      return {
        type: UnionType.Pool2DOptions,
        offset: Pool2DOptions.createPool2DOptions(
          b,
          paddingCode(o.padding),
          o.strideW,
          o.strideH,
          o.filterWidth,
          o.filterHeight,
          activationCode(o.fusedActivation),
        ),
      };
    case 'ReshapeOptions': {
      const shape = ReshapeOptions.createNewShapeVector(b, o.newShape);
      return { type: UnionType.ReshapeOptions, offset: ReshapeOptions.createReshapeOptions(b, shape) };
    }
    case 'SoftmaxOptions':
      return { type: UnionType.SoftmaxOptions, offset: SoftmaxOptions.createSoftmaxOptions(b, o.beta) };
    case 'AddOptions':
      return {
        type: UnionType.AddOptions,
        offset: AddOptions.createAddOptions(b, activationCode(o.fusedActivation), true),
      };
    case 'ReducerOptions':
      return { type: UnionType.ReducerOptions, offset: ReducerOptions.createReducerOptions(b, o.keepDims) };
    case 'ConcatenationOptions':
      return {
        type: UnionType.ConcatenationOptions,
        offset: ConcatenationOptions.createConcatenationOptions(b, o.axis, activationCode(o.fusedActivation)),
      };
  }
}
