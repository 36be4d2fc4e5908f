import { readModel } from '../codec/read-model';
import { TfliteError } from '../tflite-error';
import { MicroExport, MicroExportReport, microModelFiles } from './export-micro-model';
import { microFootprint } from './micro-footprint';

/**
 * Packages a `.tflite` someone already has like one we exported: validated, ops and arena
 * computed, C array, op resolver and report. Its first input and output must be quantized
 * per tensor (int8/uint8 models), since the report carries one scale and zero point each.
 */
export function packageMicroModel(tflite: Uint8Array, opts: { name?: string } = {}): MicroExport {
  const name = opts.name ?? 'model';
  const model = readModel(tflite);
  const graph = model.subgraphs[0];
  const affine = (tensorIndex: number, what: string) => {
    const tensor = graph.tensors[tensorIndex];
    const q = tensor.quantization;
    if (!q || q.scale.length !== 1)
      throw new TfliteError(
        'INVALID_MODEL',
        `${what} tensor "${tensor.name}" is not quantized per tensor; export a full-int8 model (fleetprune export)`,
      );
    return { scale: q.scale[0], zeroPoint: q.zeroPoint[0] };
  };
  const perChannelDense = graph.operators.some((op) => {
    if (model.operatorCodes[op.opcodeIndex].builtinCode !== 'FULLY_CONNECTED') return false;
    return (graph.tensors[op.inputs[1]]?.quantization?.scale.length ?? 0) > 1;
  });
  const report: MicroExportReport = {
    name,
    flashBytes: tflite.length,
    ...microFootprint(model),
    input: {
      shape: [...graph.tensors[graph.inputs[0]].shape],
      quantization: affine(graph.inputs[0], 'input'),
    },
    output: {
      shape: [...graph.tensors[graph.outputs[0]].shape],
      quantization: affine(graph.outputs[0], 'output'),
    },
    perChannelDense,
  };
  return { model, tflite, report, files: microModelFiles(model, tflite, report) };
}
