import type { QuantizationParams, SubGraph, Tensor, TfliteModel } from '../model/tflite-model';
import { TfliteError } from '../tflite-error';
import { builtinOperatorCode } from './enum-names';
import { tensorByteSize } from './tensor-type-size';

/**
 * Semantic checks a structurally sound model must pass before anything indexes into it: every
 * tensor, buffer and opcode index in range, constant data the size its shape and type say, and
 * quantization arrays that agree with each other and with the shape. Throws `INVALID_MODEL`
 * (or `UNSUPPORTED_OP` for an unknown operator name) naming the first problem found.
 */
export function validateModel(model: TfliteModel): void {
  if (model.buffers.length === 0 || model.buffers[0].length !== 0) {
    invalid('buffer 0 must exist and be empty (the schema reserves it for tensors without data)');
  }
  model.operatorCodes.forEach((code, i) => {
    builtinOperatorCode(code.builtinCode);
    if (code.builtinCode === 'CUSTOM' && !code.customCode)
      invalid(`operator code ${i} is CUSTOM without a custom code`);
    if (!Number.isInteger(code.version) || code.version < 1)
      invalid(`operator code ${i} has version ${code.version}`);
  });
  if (model.subgraphs.length === 0) invalid('the model has no subgraph');
  model.subgraphs.forEach((graph, g) => validateSubGraph(model, graph, g));
  model.metadata.forEach((m, i) => {
    if (!isIndex(m.buffer, model.buffers.length))
      invalid(`metadata ${i} ('${m.name}') names missing buffer ${m.buffer}`);
  });
}

function validateSubGraph(model: TfliteModel, graph: SubGraph, g: number): void {
  const n = graph.tensors.length;
  graph.tensors.forEach((t, i) => validateTensor(model, t, `subgraph ${g} tensor ${i} ('${t.name}')`));
  for (const [list, name] of [
    [graph.inputs, 'input'],
    [graph.outputs, 'output'],
  ] as const) {
    list.forEach(
      (t) => isIndex(t, n) || invalid(`subgraph ${g} ${name} ${t} is not a tensor index (0..${n - 1})`),
    );
  }
  graph.operators.forEach((op, o) => {
    const where = `subgraph ${g} operator ${o}`;
    if (!isIndex(op.opcodeIndex, model.operatorCodes.length))
      invalid(`${where} uses missing opcode ${op.opcodeIndex}`);
    // -1 marks an omitted optional input; outputs are never optional.
    op.inputs.forEach(
      (t) => t === -1 || isIndex(t, n) || invalid(`${where} input ${t} is not a tensor index`),
    );
    op.outputs.forEach((t) => isIndex(t, n) || invalid(`${where} output ${t} is not a tensor index`));
  });
}

function validateTensor(model: TfliteModel, t: Tensor, where: string): void {
  if (!t.shape.every((d) => Number.isInteger(d) && d >= 0)) invalid(`${where} has shape [${t.shape}]`);
  if (!isIndex(t.buffer, model.buffers.length)) invalid(`${where} names missing buffer ${t.buffer}`);
  const data = model.buffers[t.buffer];
  // A tensor with an empty buffer is computed at run time; only filled buffers are constants.
  if (data.length > 0 && t.type !== 'STRING' && data.length !== tensorByteSize(t)) {
    invalid(
      `${where} has ${data.length} data bytes but shape [${t.shape}] of ${t.type} needs ${tensorByteSize(t)}`,
    );
  }
  if (t.quantization) validateQuantization(t, t.quantization, where);
}

function validateQuantization(t: Tensor, q: QuantizationParams, where: string): void {
  if (q.scale.length !== q.zeroPoint.length) {
    invalid(`${where} has ${q.scale.length} scales but ${q.zeroPoint.length} zero points`);
  }
  if ((q.min?.length ?? 0) !== (q.max?.length ?? 0)) invalid(`${where} has unequal min and max lengths`);
  if (!q.scale.every((s) => Number.isFinite(s) && s >= 0))
    invalid(`${where} has a negative or non-finite scale`);
  if (q.scale.length <= 1) return; // Per-tensor: the quantized dimension is ignored.
  // TFLM ignores the quantized dimension of 1-D (bias) tensors, and official files rely on it:
  // person_detect.tflite says 3 for its 1-D depthwise biases. Only the channel count must match.
  const dim = t.shape.length === 1 ? 0 : q.quantizedDimension;
  if (!isIndex(dim, t.shape.length) || t.shape[dim] !== q.scale.length) {
    invalid(
      `${where} has ${q.scale.length} per-channel scales but dimension ${q.quantizedDimension} of [${t.shape}] does not match`,
    );
  }
}

function isIndex(i: number, length: number): boolean {
  return Number.isInteger(i) && i >= 0 && i < length;
}

function invalid(detail: string): never {
  throw new TfliteError('INVALID_MODEL', `invalid model: ${detail}. Fix or re-export the model.`);
}
