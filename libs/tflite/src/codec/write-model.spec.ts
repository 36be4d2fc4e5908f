import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TfliteModel } from '../model/tflite-model';
import { readModel } from './read-model';
import { MIN_RUNTIME_VERSION, readMinRuntimeVersion, withMinRuntimeVersion } from './runtime-version';
import { TENSOR_DATA_ALIGNMENT, writeModel } from './write-model';

const DIR = join(__dirname, '../../../../../shared/testdata/tflite');
const OFFICIAL = [
  'hello_world_int8.tflite',
  'hello_world_float.tflite',
  'person_detect.tflite',
  'person_detect_biasqdim0.tflite',
  'micro_speech_quantized.tflite',
  'simple_add_model.tflite',
];
const read = (name: string): TfliteModel => readModel(readFileSync(join(DIR, name)));

/** Absolute file offsets of every non-empty buffer's data, found by walking the flatbuffer. */
function dataOffsets(bytes: Uint8Array): number[] {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const field = (table: number, id: number): number => {
    const vt = table - v.getInt32(table, true);
    const slot = 4 + 2 * id;
    return slot < v.getUint16(vt, true) ? v.getUint16(vt + slot, true) : 0;
  };
  const deref = (at: number): number => at + v.getUint32(at, true);
  const root = deref(0);
  const buffers = deref(root + field(root, 4));
  const offsets: number[] = [];
  for (let i = 0; i < v.getUint32(buffers, true); i++) {
    const buffer = deref(buffers + 4 + 4 * i);
    const data = field(buffer, 0);
    if (data) offsets.push(deref(buffer + data) + 4);
  }
  return offsets;
}

/** Deep equality; buffers compared as bytes because jest's element-wise walk is slow on 300 KB. */
function expectSameModel(actual: TfliteModel, expected: TfliteModel): void {
  expect({ ...actual, buffers: [] }).toEqual({ ...expected, buffers: [] });
  expect(actual.buffers.map((b) => Buffer.from(b).toString('base64'))).toEqual(
    expected.buffers.map((b) => Buffer.from(b).toString('base64')),
  );
}

describe(writeModel.name, () => {
  it.each(OFFICIAL)('round-trips %s: read(write(read(f))) equals read(f)', (name) => {
    const model = read(name);
    expectSameModel(readModel(writeModel(model)), model);
  });

  it.each(OFFICIAL)('is deterministic and aligns tensor data for %s', (name) => {
    const model = read(name);
    const first = writeModel(model);
    expect(Buffer.from(writeModel(read(name))).equals(Buffer.from(first))).toBe(true);
    expect(String.fromCharCode(...first.subarray(4, 8))).toBe('TFL3');
    const offsets = dataOffsets(first);
    expect(offsets.length).toBe(model.buffers.filter((b) => b.length > 0).length);
    for (const at of offsets) expect(at % TENSOR_DATA_ALIGNMENT).toBe(0);
  });

  it('writes buffer 0 empty and refuses a model whose buffer 0 holds data', () => {
    const model = read('hello_world_int8.tflite');
    expect(readModel(writeModel(model)).buffers[0]).toHaveLength(0);
    const broken = { ...model, buffers: [new Uint8Array([1]), ...model.buffers.slice(1)] };
    expect(() => writeModel(broken)).toThrow(expect.objectContaining({ code: 'INVALID_MODEL' }));
  });

  it('writes a min_runtime_version metadata entry that reads back', () => {
    const model = withMinRuntimeVersion(read('simple_add_model.tflite'), '1.14.0');
    const again = readModel(writeModel(model));
    expect(readMinRuntimeVersion(again)).toBe('1.14.0');
    const entry = again.metadata.find((m) => m.name === MIN_RUNTIME_VERSION);
    expect(again.buffers[entry!.buffer]).toHaveLength(16);
    const replaced = withMinRuntimeVersion(again, '2.3.0');
    expect(replaced.metadata).toHaveLength(again.metadata.length);
    expect(readMinRuntimeVersion(readModel(writeModel(replaced)))).toBe('2.3.0');
    expect(() => withMinRuntimeVersion(again, 'x'.repeat(20))).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT' }),
    );
  });

  it('keeps large builtin codes through the int32 builtin_code field', () => {
    const model = read('hello_world_int8.tflite');
    const renamed: TfliteModel = {
      ...model,
      operatorCodes: [{ builtinCode: 'BROADCAST_TO', version: 1 }, ...model.operatorCodes],
    };
    expect(readModel(writeModel(renamed)).operatorCodes[0]).toEqual({
      builtinCode: 'BROADCAST_TO',
      version: 1,
    });
  });
});
