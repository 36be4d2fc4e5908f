import {
  AddOptions,
  BuiltinOptions as UnionType,
  ConcatenationOptions,
  Conv2DOptions,
  DepthwiseConv2DOptions,
  FullyConnectedOptions,
  FullyConnectedOptionsWeightsFormat,
  Operator,
  Pool2DOptions,
  ReducerOptions,
  ReshapeOptions,
  SoftmaxOptions,
} from '../generated/tflite_generated';
import type { BuiltinOptions } from '../model/tflite-model';
import { TfliteError } from '../tflite-error';
import { activationName, paddingName } from './enum-names';

/**
 * Reads an operator's builtin options into the model's plain form. Options tables the model
 * does not describe, and a union type without its table, give `undefined` (the op's defaults).
 * Only call after the verifier has checked the operator.
 */
export function readOptions(op: Operator): BuiltinOptions | undefined {
  switch (op.builtinOptionsType()) {
    case UnionType.Conv2DOptions: {
      const o = op.builtinOptions(new Conv2DOptions()) as Conv2DOptions | null;
      if (!o) return undefined;
      return {
        kind: 'Conv2DOptions',
        padding: paddingName(o.padding()),
        strideW: o.strideW(),
        strideH: o.strideH(),
        dilationWFactor: o.dilationWFactor(),
        dilationHFactor: o.dilationHFactor(),
        fusedActivation: activationName(o.fusedActivationFunction()),
      };
    }
    case UnionType.DepthwiseConv2DOptions: {
      const o = op.builtinOptions(new DepthwiseConv2DOptions()) as DepthwiseConv2DOptions | null;
      if (!o) return undefined;
      return {
        kind: 'DepthwiseConv2DOptions',
        padding: paddingName(o.padding()),
        strideW: o.strideW(),
        strideH: o.strideH(),
        depthMultiplier: o.depthMultiplier(),
        dilationWFactor: o.dilationWFactor(),
        dilationHFactor: o.dilationHFactor(),
        fusedActivation: activationName(o.fusedActivationFunction()),
      };
    }
    case UnionType.FullyConnectedOptions: {
      const o = op.builtinOptions(new FullyConnectedOptions()) as FullyConnectedOptions | null;
      if (!o) return undefined;
      // The model has no field for it, and silently dropping it would change the op's meaning.
      if (o.weightsFormat() !== FullyConnectedOptionsWeightsFormat.DEFAULT) {
        throw new TfliteError(
          'UNSUPPORTED_OP',
          'FULLY_CONNECTED with shuffled weights is not supported; convert with the default weights format.',
        );
      }
      return {
        kind: 'FullyConnectedOptions',
        fusedActivation: activationName(o.fusedActivationFunction()),
        keepNumDims: o.keepNumDims(),
      };
    }
    case UnionType.Pool2DOptions: {
      const o = op.builtinOptions(new Pool2DOptions()) as Pool2DOptions | null;
      if (!o) return undefined;
      return {
        kind: 'Pool2DOptions',
        padding: paddingName(o.padding()),
        strideW: o.strideW(),
        strideH: o.strideH(),
        filterWidth: o.filterWidth(),
        filterHeight: o.filterHeight(),
        fusedActivation: activationName(o.fusedActivationFunction()),
      };
    }
    case UnionType.ReshapeOptions: {
      const o = op.builtinOptions(new ReshapeOptions()) as ReshapeOptions | null;
      if (!o) return undefined;
      const newShape: number[] = [];
      for (let i = 0; i < o.newShapeLength(); i++) newShape.push(o.newShape(i) ?? 0);
      return { kind: 'ReshapeOptions', newShape };
    }
    case UnionType.SoftmaxOptions: {
      const o = op.builtinOptions(new SoftmaxOptions()) as SoftmaxOptions | null;
      if (!o) return undefined;
      return { kind: 'SoftmaxOptions', beta: o.beta() };
    }
    case UnionType.AddOptions: {
      const o = op.builtinOptions(new AddOptions()) as AddOptions | null;
      if (!o) return undefined;
      return { kind: 'AddOptions', fusedActivation: activationName(o.fusedActivationFunction()) };
    }
    case UnionType.ReducerOptions: {
      const o = op.builtinOptions(new ReducerOptions()) as ReducerOptions | null;
      if (!o) return undefined;
      return { kind: 'ReducerOptions', keepDims: o.keepDims() };
    }
    case UnionType.ConcatenationOptions: {
      const o = op.builtinOptions(new ConcatenationOptions()) as ConcatenationOptions | null;
      if (!o) return undefined;
      return {
        kind: 'ConcatenationOptions',
        axis: o.axis(),
        fusedActivation: activationName(o.fusedActivationFunction()),
      };
    }
    default:
      return undefined;
  }
}
