import { Builder } from 'flatbuffers';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  Buffer as FbBuffer,
  Model as FbModel,
  SubGraph as FbSubGraph,
  Tensor as FbTensor,
  TensorType,
} from '../generated/tflite_generated';
import { TfliteError } from '../tflite-error';
import type { TfliteModel } from '../model/tflite-model';
import { DEFAULT_READ_LIMITS, readModel } from './read-model';

const DIR = join(__dirname, '../../../../../shared/testdata/tflite');
const file = (name: string): Uint8Array => readFileSync(join(DIR, name));
const OFFICIAL = [
  'hello_world_int8.tflite',
  'hello_world_float.tflite',
  'person_detect.tflite',
  'person_detect_biasqdim0.tflite',
  'micro_speech_quantized.tflite',
  'simple_add_model.tflite',
];

function opCounts(model: TfliteModel): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const op of model.subgraphs[0].operators) {
    const name = model.operatorCodes[op.opcodeIndex].builtinCode;
    counts[name] = (counts[name] ?? 0) + 1;
  }
  return counts;
}

describe(readModel.name, () => {
  it.each(OFFICIAL)('parses %s into one valid subgraph', (name) => {
    const model = readModel(file(name));
    expect(model.version).toBe(3);
    expect(model.subgraphs).toHaveLength(1);
    expect(model.buffers[0]).toHaveLength(0);
  });

  // Facts below are the ones the testdata README states for each file.
  it('reads hello_world_int8 tensors and quantization', () => {
    const model = readModel(file('hello_world_int8.tflite'));
    const g = model.subgraphs[0];
    const input = g.tensors[g.inputs[0]];
    expect(input.shape).toEqual([1, 1]);
    expect(input.type).toBe('INT8');
    expect(input.quantization?.scale[0]).toBeCloseTo(0.024480115622282028, 9);
    expect(input.quantization?.zeroPoint).toEqual([-128]);
    expect(g.tensors[g.outputs[0]].quantization?.zeroPoint).toEqual([5]);
    expect(opCounts(model)).toEqual({ FULLY_CONNECTED: 3 });
    expect(model.operatorCodes.map((c) => c.version)).toEqual([4]);
    const fc = g.operators[0].options;
    expect(fc?.kind).toBe('FullyConnectedOptions');
  });

  it('reads person_detect operators, options and per-channel weights', () => {
    const model = readModel(file('person_detect.tflite'));
    const g = model.subgraphs[0];
    expect(opCounts(model)).toEqual({
      DEPTHWISE_CONV_2D: 14,
      CONV_2D: 14,
      AVERAGE_POOL_2D: 1,
      RESHAPE: 1,
      SOFTMAX: 1,
    });
    const input = g.tensors[g.inputs[0]];
    expect(input.shape).toEqual([1, 96, 96, 1]);
    expect(input.quantization?.zeroPoint).toEqual([-1]);
    const first = g.operators[0];
    expect(model.operatorCodes[first.opcodeIndex].builtinCode).toBe('DEPTHWISE_CONV_2D');
    expect(first.options).toMatchObject({ kind: 'DepthwiseConv2DOptions', depthMultiplier: 8 });
    const filter = g.tensors[first.inputs[1]];
    expect(filter.shape).toEqual([1, 3, 3, 8]);
    expect(filter.quantization?.scale).toHaveLength(8);
    expect(filter.quantization?.quantizedDimension).toBe(3);
    // The README's quirk: 1-D depthwise biases say quantized_dimension 3; the fixed copy says 0.
    const bias = g.tensors[first.inputs[2]];
    expect(bias.quantization?.quantizedDimension).toBe(3);
    const fixed = readModel(file('person_detect_biasqdim0.tflite')).subgraphs[0];
    expect(fixed.tensors[first.inputs[2]].quantization?.quantizedDimension).toBe(0);
    const softmax = g.operators.find((op) => op.options?.kind === 'SoftmaxOptions');
    expect(softmax?.options).toEqual({ kind: 'SoftmaxOptions', beta: 1 });
  });

  it('reads micro_speech and simple_add shapes', () => {
    const speech = readModel(file('micro_speech_quantized.tflite'));
    expect(opCounts(speech)).toEqual({ RESHAPE: 1, DEPTHWISE_CONV_2D: 1, FULLY_CONNECTED: 1, SOFTMAX: 1 });
    const sg = speech.subgraphs[0];
    expect(sg.tensors[sg.inputs[0]].shape).toEqual([1, 1960]);
    const add = readModel(file('simple_add_model.tflite'));
    const ag = add.subgraphs[0];
    expect(ag.inputs.map((i) => ag.tensors[i].shape)).toEqual([
      [1, 128, 128, 1],
      [1, 128, 128, 1],
    ]);
    expect(ag.operators[0].options).toEqual({ kind: 'AddOptions', fusedActivation: 'NONE' });
  });

  it('keeps constant data byte-exact and independent of the input bytes', () => {
    const bytes = file('hello_world_float.tflite');
    const model = readModel(bytes);
    const g = model.subgraphs[0];
    const weights = g.tensors[g.operators[0].inputs[1]];
    const data = model.buffers[weights.buffer];
    expect(data.length).toBe(16 * 4);
    const at = Buffer.from(bytes).indexOf(Buffer.from(data));
    expect(at).toBeGreaterThan(0);
    bytes.fill(0);
    expect(data.some((v) => v !== 0)).toBe(true);
  });

  it('reads from a Uint8Array at an odd byte offset', () => {
    const bytes = file('hello_world_int8.tflite');
    const shifted = new Uint8Array(bytes.length + 1);
    shifted.set(bytes, 1);
    expect(readModel(shifted.subarray(1))).toEqual(readModel(bytes));
    // Node Buffers are often views into a shared pool at arbitrary offsets.
    const pooled = Buffer.concat([Buffer.alloc(3), Buffer.from(bytes)]).subarray(3);
    expect(readModel(pooled)).toEqual(readModel(bytes));
  });

  it.each([
    ['an empty file', new Uint8Array(0), 'CORRUPT_FILE'],
    ['a file without the TFL3 identifier', new Uint8Array(64), 'CORRUPT_FILE'],
  ])('rejects %s', (_name, bytes, code) => {
    expect(() => readModel(bytes)).toThrow(expect.objectContaining({ code }));
  });

  it('enforces maxBytes and the count limits', () => {
    const bytes = file('person_detect.tflite');
    expect(DEFAULT_READ_LIMITS.maxBytes).toBe(64 * 1024 * 1024);
    expect(() => readModel(bytes, { maxBytes: 1000 })).toThrow(
      expect.objectContaining({ code: 'LIMIT_EXCEEDED' }),
    );
    expect(() => readModel(bytes, { maxTensors: 10 })).toThrow(
      expect.objectContaining({ code: 'LIMIT_EXCEEDED' }),
    );
    expect(() => readModel(bytes, { maxOperators: 30 })).toThrow(
      expect.objectContaining({ code: 'LIMIT_EXCEEDED' }),
    );
    expect(() => readModel(bytes, { maxRank: 3 })).toThrow(TfliteError);
  });

  it('rejects a file whose schema version is not 3', () => {
    const bytes = new Uint8Array(file('simple_add_model.tflite'));
    const view = new DataView(bytes.buffer);
    const root = view.getUint32(0, true);
    const vtable = root - view.getInt32(root, true);
    const versionField = view.getUint16(vtable + 4, true);
    expect(versionField).toBeGreaterThan(0);
    view.setUint32(root + versionField, 2, true);
    expect(() => readModel(bytes)).toThrow(expect.objectContaining({ code: 'UNSUPPORTED_VERSION' }));
  });

  it('rejects a well-formed flatbuffer that aliases one data buffer many times', () => {
    // 20 KB on disk, but reading it naively would copy 5,000 x 1 KB.
    const b = new Builder(1024);
    const data = FbBuffer.createDataVector(b, new Uint8Array(1000).fill(7));
    const buffer = FbBuffer.createBuffer(b, data, 0n, 0n);
    const buffers = FbModel.createBuffersVector(b, new Array(5000).fill(buffer));
    FbModel.startModel(b);
    FbModel.addVersion(b, 3);
    FbModel.addBuffers(b, buffers);
    FbModel.finishModelBuffer(b, FbModel.endModel(b));
    const bytes = b.asUint8Array();
    expect(bytes.length).toBeLessThan(25_000);
    expect(() => readModel(bytes)).toThrow(expect.objectContaining({ code: 'CORRUPT_FILE' }));
  });

  /** A one-tensor model whose constant data sits after the flatbuffer (large-model format). */
  function externalDataModel(external: Uint8Array, claimedSize: number): Uint8Array {
    const build = (offset: bigint): Uint8Array => {
      const b = new Builder(256);
      const empty = FbBuffer.createBuffer(b, 0, 0n, 0n);
      const outside = FbBuffer.createBuffer(b, 0, offset, BigInt(claimedSize));
      const buffers = FbModel.createBuffersVector(b, [empty, outside]);
      const shape = FbTensor.createShapeVector(b, [external.length / 4]);
      const name = b.createString('w');
      FbTensor.startTensor(b);
      FbTensor.addShape(b, shape);
      FbTensor.addType(b, TensorType.INT32);
      FbTensor.addBuffer(b, 1);
      FbTensor.addName(b, name);
      const tensors = FbSubGraph.createTensorsVector(b, [FbTensor.endTensor(b)]);
      const subgraph = FbSubGraph.createSubGraph(b, tensors, 0, 0, 0, 0);
      const subgraphs = FbModel.createSubgraphsVector(b, [subgraph]);
      FbModel.startModel(b);
      FbModel.addVersion(b, 3);
      FbModel.addSubgraphs(b, subgraphs);
      FbModel.addBuffers(b, buffers);
      FbModel.finishModelBuffer(b, FbModel.endModel(b));
      return b.asUint8Array().slice();
    };
    // The flatbuffer's length does not depend on the offset's value, so build twice.
    const length = build(2n).length;
    const file = new Uint8Array(length + external.length);
    file.set(build(BigInt(length)));
    file.set(external, length);
    return file;
  }

  it('reads buffer data stored after the flatbuffer (offset/size fields)', () => {
    const external = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]);
    const model = readModel(externalDataModel(external, external.length));
    expect([...model.buffers[1]]).toEqual([...external]);
    expect(() => readModel(externalDataModel(external, 64))).toThrow(
      expect.objectContaining({ code: 'CORRUPT_FILE' }),
    );
  });
});
