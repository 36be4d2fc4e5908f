import type * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { writeModel } from '../codec/write-model';
import { emitCArray } from '../emitter/emit-c-array';
import { emitOpResolver } from '../emitter/emit-op-resolver';
import type { AffineParams } from '../quantizer/quant-math';
import { quantizeLayersModel } from '../quantizer/quantize-layers-model';
import { MicroFootprint, microFootprint } from './micro-footprint';
import type { TfliteModel } from '../model/tflite-model';

/** Options of `exportMicroModel`. */
export interface MicroExportOptions {
  /** Model name: C identifiers (`<name>`, `k<Name>ArenaSize`) derive from it. */
  name: string;
  /** Per-channel FULLY_CONNECTED weights (older TFLM builds and Arm NN lack them). */
  perChannelDense: boolean;
}

/** What a device build needs, plus the facts the server checks against a profile. */
export interface MicroExportReport extends MicroFootprint {
  name: string;
  flashBytes: number;
  input: { shape: number[]; quantization: AffineParams };
  output: { shape: number[]; quantization: AffineParams };
  perChannelDense: boolean;
}

export interface MicroExport {
  model: TfliteModel;
  tflite: Uint8Array;
  /** model.tflite, model_data.h, model_data.cc, op_resolver.h, report.json */
  files: { name: string; bytes: Uint8Array }[];
  report: MicroExportReport;
}

/**
 * The whole path from a trained TF.js model to TFLite Micro files: int8 quantization on
 * `representative` (N samples, NHWC floats as the model expects), the flatbuffer, the C
 * array, the op resolver with the arena size, and a JSON report.
 */
export function exportMicroModel(
  layersModel: tfl.LayersModel,
  representative: Float32Array | tf.Tensor,
  opts: Partial<MicroExportOptions> = {},
): MicroExport {
  const name = opts.name ?? 'model';
  const perChannelDense = opts.perChannelDense ?? false;
  const quantized = quantizeLayersModel(layersModel, representative, { perChannelDense });
  const { inputQuantization, outputQuantization, ...model } = quantized;
  const tflite = writeModel(model);
  const graph = model.subgraphs[0];
  const report: MicroExportReport = {
    name,
    flashBytes: tflite.length,
    ...microFootprint(model),
    input: { shape: [...graph.tensors[graph.inputs[0]].shape], quantization: inputQuantization },
    output: { shape: [...graph.tensors[graph.outputs[0]].shape], quantization: outputQuantization },
    perChannelDense,
  };
  return { model, tflite, report, files: microModelFiles(model, tflite, report) };
}

/** The files of a TFLite Micro build: the flatbuffer, its C array, the op resolver and the report. */
export function microModelFiles(
  model: TfliteModel,
  tflite: Uint8Array,
  report: MicroExportReport,
): { name: string; bytes: Uint8Array }[] {
  const cArray = emitCArray(tflite, { name: report.name });
  const text = (s: string) => new TextEncoder().encode(s);
  return [
    { name: 'model.tflite', bytes: tflite },
    { name: 'model_data.h', bytes: text(cArray.header) },
    { name: 'model_data.cc', bytes: text(cArray.source) },
    {
      name: 'op_resolver.h',
      bytes: text(emitOpResolver(model, { arenaBytes: report.arenaBytes, name: report.name })),
    },
    { name: 'report.json', bytes: text(`${JSON.stringify(report, null, 2)}\n`) },
  ];
}
