// Official TFLite Micro models and the outputs /work/shared/testdata/tflite/README.md records
// for Arm NN 20.08 CpuRef and TFLite-WASM; a cheap check that each engine runner is wired right.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const TESTDATA = join(__dirname, '../../../shared/testdata/tflite');

/** Reads a testdata file as int8 (raw tensor bytes or a model). */
export function testdata(name: string): Int8Array {
  const b = readFileSync(join(TESTDATA, name));
  return new Int8Array(b.buffer, b.byteOffset, b.byteLength);
}

/** A testdata file's exact bytes (a Buffer may sit inside a larger shared pool). */
export function modelBytes(name: string): Uint8Array {
  const b = testdata(name);
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

export interface OfficialCase {
  title: string;
  model: string;
  /** One input record (all input tensors' bytes) per run. */
  inputs: () => Int8Array[];
  /** README's observed output per input record (both engines agree on these). */
  expected: () => Int8Array[];
}

const q = (...v: number[]) => Int8Array.from(v);
const concat = (a: Int8Array, b: Int8Array) => {
  const out = new Int8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
};

export const OFFICIAL_CASES: OfficialCase[] = [
  {
    title: 'hello_world_int8, q = -96/-63/-34/0 -> 89/125/93/4',
    model: 'hello_world_int8.tflite',
    inputs: () => [q(-96), q(-63), q(-34), q(0)],
    expected: () => [q(89), q(125), q(93), q(4)],
  },
  {
    title: 'person_detect_biasqdim0, person -> [-113, 113], no person -> [60, -60]',
    model: 'person_detect_biasqdim0.tflite',
    inputs: () => [testdata('person_image_int8.raw'), testdata('no_person_image_int8.raw')],
    expected: () => [q(-113, 113), q(60, -60)],
  },
  {
    title: 'micro_speech, yes/no/silence/noise features',
    model: 'micro_speech_quantized.tflite',
    inputs: () =>
      ['yes', 'no', 'silence', 'noise'].map((w) => testdata(`micro_speech_${w}_features_int8.raw`)),
    expected: () => [
      q(-128, -128, 127, -128),
      q(-128, -114, -128, 114),
      q(-42, -68, -68, -78),
      q(120, -125, -126, -125),
    ],
  },
];

/** simple_add: two int8 inputs; the TFLM output is the reference (Arm NN byte-identical, WASM off by 1 once). */
export const SIMPLE_ADD = {
  model: 'simple_add_model.tflite',
  input: () => concat(testdata('simple_add_input1_int8.raw'), testdata('simple_add_input2_int8.raw')),
  tflmOutput: () => testdata('simple_add_output_tflm_int8.raw'),
};

/** hello_world_float: x -> TFLM's float outputs (README); engines within 6e-7. */
export const HELLO_FLOAT = {
  model: 'hello_world_float.tflite',
  x: [0, 1, 3, 5],
  y: [0.0264052898, 0.863043606, 0.127646029, -0.956518769],
};

/** Float32 values as the int8 byte records the runners take. */
export function floatRecord(...v: number[]): Int8Array {
  return new Int8Array(Float32Array.from(v).buffer);
}

/** An int8 byte record read back as float32 values. */
export function floats(record: Int8Array): Float32Array {
  return new Float32Array(record.slice().buffer);
}
