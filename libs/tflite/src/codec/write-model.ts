import { Builder, type Offset } from 'flatbuffers';
import {
  Buffer as FbBuffer,
  Metadata as FbMetadata,
  Model as FbModel,
  Operator as FbOperator,
  OperatorCode as FbOperatorCode,
  QuantizationParameters as FbQuantization,
  SubGraph as FbSubGraph,
  Tensor as FbTensor,
} from '../generated/tflite_generated';
import type {
  Operator,
  OperatorCode,
  QuantizationParams,
  SubGraph,
  Tensor,
  TfliteModel,
} from '../model/tflite-model';
import { builtinOperatorCode, tensorTypeCode } from './enum-names';
import { validateModel } from './validate-model';
import { writeOptions } from './write-options';

/** Alignment of every buffer's data, as an absolute file offset (the schema's force_align). */
export const TENSOR_DATA_ALIGNMENT = 16;

/** Largest value of OperatorCode.deprecated_builtin_code (a signed byte). */
const MAX_DEPRECATED_CODE = 127;

/**
 * Serialises a model to `.tflite` bytes (identifier "TFL3"). Validates the model first; the
 * output is deterministic (same model, same bytes) and every buffer's data starts at a file
 * offset that is a multiple of 16, so runtimes can use weights in place.
 * @example fs.writeFileSync('out.tflite', writeModel(readModel(bytes)));
 */
export function writeModel(model: TfliteModel): Uint8Array {
  validateModel(model);
  const dataBytes = model.buffers.reduce((n, d) => n + d.length + TENSOR_DATA_ALIGNMENT, 0);
  const b = new Builder(dataBytes + 64 * 1024);

  // Built back to front: buffers first so the weights end up together at the end of the file.
  const buffers = model.buffers.map((data) => writeBuffer(b, data));
  const subgraphs = model.subgraphs.map((g) => writeSubGraph(b, g));
  const operatorCodes = model.operatorCodes.map((c) => writeOperatorCode(b, c));
  const metadata = model.metadata.map((m) => FbMetadata.createMetadata(b, b.createString(m.name), m.buffer));
  const description = model.description ? b.createString(model.description) : 0;

  const operatorCodesVector = FbModel.createOperatorCodesVector(b, operatorCodes);
  const subgraphsVector = FbModel.createSubgraphsVector(b, subgraphs);
  const buffersVector = FbModel.createBuffersVector(b, buffers);
  const metadataVector = FbModel.createMetadataVector(b, metadata);
  FbModel.startModel(b);
  FbModel.addVersion(b, model.version);
  FbModel.addOperatorCodes(b, operatorCodesVector);
  FbModel.addSubgraphs(b, subgraphsVector);
  if (description) FbModel.addDescription(b, description);
  FbModel.addBuffers(b, buffersVector);
  FbModel.addMetadata(b, metadataVector);
  FbModel.finishModelBuffer(b, FbModel.endModel(b));
  return b.asUint8Array().slice();
}

function writeBuffer(b: Builder, data: Uint8Array): Offset {
  if (data.length === 0) {
    FbBuffer.startBuffer(b);
    return FbBuffer.endBuffer(b);
  }
  // The builder aligns relative to the end of the file, and `finish` pads the whole file to
  // the largest alignment used, so this start is 16-aligned from the file's beginning too.
  b.startVector(1, data.length, TENSOR_DATA_ALIGNMENT);
  for (let i = data.length - 1; i >= 0; i--) b.addInt8(data[i]);
  const vector = b.endVector();
  FbBuffer.startBuffer(b);
  FbBuffer.addData(b, vector);
  return FbBuffer.endBuffer(b);
}

function writeOperatorCode(b: Builder, c: OperatorCode): Offset {
  const code = builtinOperatorCode(c.builtinCode);
  const custom = c.customCode === undefined ? 0 : b.createString(c.customCode);
  FbOperatorCode.startOperatorCode(b);
  // Old readers only know the byte field; codes above 127 park it at the placeholder value.
  FbOperatorCode.addDeprecatedBuiltinCode(b, Math.min(code, MAX_DEPRECATED_CODE));
  if (custom) FbOperatorCode.addCustomCode(b, custom);
  FbOperatorCode.addVersion(b, c.version);
  FbOperatorCode.addBuiltinCode(b, code);
  return FbOperatorCode.endOperatorCode(b);
}

function writeSubGraph(b: Builder, g: SubGraph): Offset {
  const tensors = FbSubGraph.createTensorsVector(
    b,
    g.tensors.map((t) => writeTensor(b, t)),
  );
  const inputs = FbSubGraph.createInputsVector(b, g.inputs);
  const outputs = FbSubGraph.createOutputsVector(b, g.outputs);
  const operators = FbSubGraph.createOperatorsVector(
    b,
    g.operators.map((op) => writeOperator(b, op)),
  );
  const name = g.name ? b.createString(g.name) : 0;
  return FbSubGraph.createSubGraph(b, tensors, inputs, outputs, operators, name);
}

function writeTensor(b: Builder, t: Tensor): Offset {
  const shape = FbTensor.createShapeVector(b, t.shape);
  const name = b.createString(t.name);
  const quantization = t.quantization ? writeQuantization(b, t.quantization) : 0;
  const signature = t.shapeSignature ? FbTensor.createShapeSignatureVector(b, t.shapeSignature) : 0;
  FbTensor.startTensor(b);
  FbTensor.addShape(b, shape);
  FbTensor.addType(b, tensorTypeCode(t.type));
  FbTensor.addBuffer(b, t.buffer);
  FbTensor.addName(b, name);
  if (quantization) FbTensor.addQuantization(b, quantization);
  FbTensor.addIsVariable(b, t.isVariable ?? false);
  if (signature) FbTensor.addShapeSignature(b, signature);
  // The model only holds tensors of known rank, and current converters say so explicitly
  // (it tells a scalar, shape [], from a tensor of unknown rank).
  FbTensor.addHasRank(b, true);
  return FbTensor.endTensor(b);
}

function writeQuantization(b: Builder, q: QuantizationParams): Offset {
  const min = q.min ? FbQuantization.createMinVector(b, q.min) : 0;
  const max = q.max ? FbQuantization.createMaxVector(b, q.max) : 0;
  const scale = FbQuantization.createScaleVector(b, q.scale);
  const zeroPoint = FbQuantization.createZeroPointVector(
    b,
    q.zeroPoint.map((z) => BigInt(z)),
  );
  FbQuantization.startQuantizationParameters(b);
  if (min) FbQuantization.addMin(b, min);
  if (max) FbQuantization.addMax(b, max);
  FbQuantization.addScale(b, scale);
  FbQuantization.addZeroPoint(b, zeroPoint);
  FbQuantization.addQuantizedDimension(b, q.quantizedDimension);
  return FbQuantization.endQuantizationParameters(b);
}

function writeOperator(b: Builder, op: Operator): Offset {
  const inputs = FbOperator.createInputsVector(b, op.inputs);
  const outputs = FbOperator.createOutputsVector(b, op.outputs);
  const options = op.options ? writeOptions(b, op.options) : undefined;
  FbOperator.startOperator(b);
  FbOperator.addOpcodeIndex(b, op.opcodeIndex);
  FbOperator.addInputs(b, inputs);
  FbOperator.addOutputs(b, outputs);
  if (options) {
    FbOperator.addBuiltinOptionsType(b, options.type);
    FbOperator.addBuiltinOptions(b, options.offset);
  }
  return FbOperator.endOperator(b);
}
