/**
 * Full-integer (int8) post-training quantization of a TF.js LayersModel into a TfliteModel, with
 * the TFLite converter's rules (see quant-math.ts and build-tflite-model.ts).
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { withMinRuntimeVersion } from '../codec/runtime-version';
import type { TfliteModel } from '../model/tflite-model';
import { TfliteError } from '../tflite-error';
import { buildFloatGraph } from './build-float-graph';
import { buildTfliteModel, chooseValueParams } from './build-tflite-model';
import { calibrate } from './run-float-graph';
import type { AffineParams } from './quant-math';
import { resolveQuantizeOptions, type QuantizeOptions } from './quantize-options';

/** A quantized model plus the int8 params callers need to feed it and read it. */
export type QuantizedTfliteModel = TfliteModel & {
  /** Params of the graph input: q = round(x / scale) + zeroPoint. */
  inputQuantization: AffineParams;
  /** Params of the first graph output: x = scale * (q - zeroPoint). */
  outputQuantization: AffineParams;
};

/** Representative samples as one [N, ...input shape] float tensor (caller disposes it). */
function samplesTensor(representative: Float32Array | tf.Tensor, inputShape: number[]): tf.Tensor {
  const per = inputShape.slice(1).reduce((a, b) => a * b, 1);
  const count =
    representative instanceof Float32Array ? representative.length / per : representative.size / per;
  if (!Number.isInteger(count) || count < 1) {
    throw new TfliteError(
      'INVALID_INPUT',
      `representative data must hold a whole number (>= 1) of samples of ${per} values; got ${representative instanceof Float32Array ? representative.length : representative.size}.`,
    );
  }
  const shape = [count, ...inputShape.slice(1)];
  return representative instanceof Float32Array
    ? tf.tensor(representative, shape)
    : tf.reshape(tf.cast(representative, 'float32'), shape);
}

/**
 * Quantizes `model` to a full-int8 TfliteModel: folds BatchNormalization, fuses ReLU/ReLU6,
 * calibrates every surviving activation on `representative` (N samples, 100-500 recommended,
 * NHWC, as the float model expects them) and applies TFLite's int8 rules.
 * Deterministic: the same model and data give the same model (and the same bytes from writeModel).
 * @example const q = quantizeLayersModel(model, toFloat01(representativeSubset(train)));
 */
export function quantizeLayersModel(
  model: tfl.LayersModel,
  representative: Float32Array | tf.Tensor,
  opts: Partial<QuantizeOptions> = {},
): QuantizedTfliteModel {
  const o = resolveQuantizeOptions(opts);
  const graph = buildFloatGraph(model);
  const samples = samplesTensor(representative, graph.values[graph.inputs[0]].shape);
  let ranges: Array<[number, number]>;
  try {
    ranges = calibrate(graph, samples, o.calibrationBatchSize);
  } finally {
    samples.dispose();
  }
  const params = chooseValueParams(graph, ranges);
  const built = withMinRuntimeVersion(buildTfliteModel(graph, params, o), o.minRuntimeVersion);
  return {
    ...built,
    inputQuantization: { ...params[graph.inputs[0]] },
    outputQuantization: { ...params[graph.outputs[0]] },
  };
}
