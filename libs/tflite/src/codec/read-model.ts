import { ByteBuffer } from 'flatbuffers';
import {
  Buffer as FbBuffer,
  Model as FbModel,
  Operator as FbOperator,
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
import { TfliteError } from '../tflite-error';
import { builtinOperatorName, tensorTypeName } from './enum-names';
import { FlatbufferVerifier } from './flatbuffer-verifier';
import { readOptions } from './read-options';
import { modelLayout, type ReadLimits } from './tflite-layout';

export type { ReadLimits } from './tflite-layout';
import { validateModel } from './validate-model';

/** Options of `readModel`; every limit guards against hostile or broken files. */
export interface ReadModelOptions extends Partial<ReadLimits> {
  /** Run `validateModel` on the result (default true). */
  validate?: boolean;
}

/**
 * Defaults of `readModel`. Generous for microcontroller models (person_detect: 300 KB, 89
 * tensors, 31 operators) while bounding the work and memory a hostile file can cause:
 * - maxBytes 64 MiB: whole file;
 * - maxSubgraphs 64, maxOperatorCodes 1,000, maxBuffers 200,000 (also caps metadata entries);
 * - maxTensors / maxOperators 100,000 per subgraph (maxTensors also caps an op's inputs);
 * - maxRank 16: entries of a shape, shape signature or reshape target.
 * Beyond these, the verifier rejects files whose offsets alias the same bytes, so reading
 * never touches more data than the file holds. Exceeding a limit is `LIMIT_EXCEEDED`.
 */
export const DEFAULT_READ_LIMITS: Readonly<ReadLimits> = {
  maxBytes: 64 * 1024 * 1024,
  maxSubgraphs: 64,
  maxTensors: 100_000,
  maxOperators: 100_000,
  maxBuffers: 200_000,
  maxOperatorCodes: 1_000,
  maxRank: 16,
};

const IDENTIFIER = 'TFL3';
const SCHEMA_VERSION = 3;

/**
 * Parses a `.tflite` file into the plain model. The bytes are untrusted: the whole flatbuffer is
 * bounds-checked once before any field is read, and every failure is a `TfliteError`.
 * @example const model = readModel(fs.readFileSync('person_detect.tflite'));
 */
export function readModel(bytes: Uint8Array, opts: ReadModelOptions = {}): TfliteModel {
  const { validate = true, ...given } = opts;
  const limits: ReadLimits = { ...DEFAULT_READ_LIMITS, ...stripUndefined(given) };
  if (bytes.byteLength > limits.maxBytes) {
    throw new TfliteError(
      'LIMIT_EXCEEDED',
      `model file is ${bytes.byteLength} bytes, more than the limit of ${limits.maxBytes}; raise maxBytes if it is trusted.`,
    );
  }
  if (bytes.byteLength < 8 || String.fromCharCode(...bytes.subarray(4, 8)) !== IDENTIFIER) {
    throw new TfliteError(
      'CORRUPT_FILE',
      `not a TFLite model (no "${IDENTIFIER}" identifier); check the file.`,
    );
  }
  // A private copy (not `slice()`, which is a view for Node Buffers): starts at byte 0 of its
  // own ArrayBuffer, as the generated typed-array views need, and is safe from caller mutation.
  const data = new Uint8Array(bytes);
  new FlatbufferVerifier(data).verifyRoot(modelLayout(limits));

  const root = FbModel.getRootAsModel(new ByteBuffer(data));
  if (root.version() !== SCHEMA_VERSION) {
    throw new TfliteError(
      'UNSUPPORTED_VERSION',
      `schema version ${root.version()} is not supported (expected ${SCHEMA_VERSION}); re-convert with a current TensorFlow.`,
    );
  }
  const model: TfliteModel = {
    version: root.version(),
    description: root.description() ?? '',
    operatorCodes: Array.from({ length: root.operatorCodesLength() }, (_, i) => readOperatorCode(root, i)),
    subgraphs: Array.from({ length: root.subgraphsLength() }, (_, i) => readSubGraph(root.subgraphs(i)!)),
    buffers: Array.from({ length: root.buffersLength() }, (_, i) => readBuffer(root.buffers(i)!, data)),
    metadata: Array.from({ length: root.metadataLength() }, (_, i) => {
      const m = root.metadata(i)!;
      return { name: m.name() ?? '', buffer: m.buffer() };
    }),
  };
  if (validate) validateModel(model);
  return model;
}

function readOperatorCode(root: FbModel, index: number): OperatorCode {
  const c = root.operatorCodes(index)!;
  // Files from before schema 3a only set the byte field; later ones set both (byte capped at
  // 127), so the larger value is the real code, as TFLite's own GetBuiltinCode decides.
  const builtinCode = builtinOperatorName(Math.max(c.deprecatedBuiltinCode(), c.builtinCode()));
  const code: OperatorCode = { builtinCode, version: c.version() };
  const custom = c.customCode();
  if (custom !== null) code.customCode = custom;
  return code;
}

function readSubGraph(g: FbSubGraph): SubGraph {
  return {
    name: g.name() ?? '',
    tensors: Array.from({ length: g.tensorsLength() }, (_, i) => readTensor(g.tensors(i)!)),
    inputs: numbers(g.inputsLength(), (i) => g.inputs(i)),
    outputs: numbers(g.outputsLength(), (i) => g.outputs(i)),
    operators: Array.from({ length: g.operatorsLength() }, (_, i) => readOperator(g.operators(i)!)),
  };
}

function readTensor(t: FbTensor): Tensor {
  const shape = numbers(t.shapeLength(), (i) => t.shape(i));
  const tensor: Tensor = { name: t.name() ?? '', shape, type: tensorTypeName(t.type()), buffer: t.buffer() };
  const signature = numbers(t.shapeSignatureLength(), (i) => t.shapeSignature(i));
  if (signature.length > 0 && !sameInts(signature, shape)) tensor.shapeSignature = signature;
  const q = t.quantization();
  if (q) {
    const quantization = readQuantization(q);
    if (quantization) tensor.quantization = quantization;
  }
  if (t.isVariable()) tensor.isVariable = true;
  return tensor;
}

function readQuantization(q: FbQuantization): QuantizationParams | undefined {
  const scale = numbers(q.scaleLength(), (i) => q.scale(i));
  const zeroPoint = numbers(q.zeroPointLength(), (i) => {
    const z = q.zeroPoint(i) ?? 0n;
    if (z < -(2n ** 31n) || z >= 2n ** 31n) {
      throw new TfliteError('CORRUPT_FILE', `zero point ${z} does not fit in int32. Re-export the model.`);
    }
    return Number(z);
  });
  const min = numbers(q.minLength(), (i) => q.min(i));
  const max = numbers(q.maxLength(), (i) => q.max(i));
  // Float models carry an empty QuantizationParameters table: treat it as "not quantized".
  if (scale.length === 0 && zeroPoint.length === 0 && min.length === 0 && max.length === 0) return undefined;
  const params: QuantizationParams = { scale, zeroPoint, quantizedDimension: q.quantizedDimension() };
  if (min.length > 0) params.min = min;
  if (max.length > 0) params.max = max;
  return params;
}

function readOperator(op: FbOperator): Operator {
  const operator: Operator = {
    opcodeIndex: op.opcodeIndex(),
    inputs: numbers(op.inputsLength(), (i) => op.inputs(i)),
    outputs: numbers(op.outputsLength(), (i) => op.outputs(i)),
  };
  const options = readOptions(op);
  if (options) operator.options = options;
  return operator;
}

function readBuffer(b: FbBuffer, file: Uint8Array): Uint8Array {
  const offset = b.offset();
  // Large-model format: data lives after the flatbuffer at an absolute offset (valid when > 1).
  if (offset > 1n) {
    const end = offset + b.size();
    if (end > BigInt(file.byteLength)) {
      throw new TfliteError(
        'CORRUPT_FILE',
        'an external buffer runs past the end of the file. Re-export the model.',
      );
    }
    return file.slice(Number(offset), Number(end));
  }
  return b.dataArray()?.slice() ?? new Uint8Array(0);
}

function numbers(length: number, at: (i: number) => number | null): number[] {
  const out = new Array<number>(length);
  for (let i = 0; i < length; i++) out[i] = at(i) ?? 0;
  return out;
}

function sameInts(a: number[], b: number[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
