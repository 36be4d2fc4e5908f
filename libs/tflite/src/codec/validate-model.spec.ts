import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TfliteModel } from '../model/tflite-model';
import { readModel } from './read-model';
import { validateModel } from './validate-model';

const DIR = join(__dirname, '../../../../../shared/testdata/tflite');
const read = (name: string): TfliteModel => readModel(readFileSync(join(DIR, name)));

/** A fresh deep copy so each case breaks only its own model. */
const person = (): TfliteModel => structuredClone(read('person_detect.tflite'));

describe(validateModel.name, () => {
  it('accepts every official model, including person_detect with 1-D bias qdim 3', () => {
    for (const name of ['hello_world_int8', 'hello_world_float', 'person_detect', 'micro_speech_quantized']) {
      expect(() => validateModel(read(`${name}.tflite`))).not.toThrow();
    }
  });

  const cases: [string, (m: TfliteModel) => void, RegExp][] = [
    ['a tensor index out of range', (m) => (m.subgraphs[0].operators[0].inputs[0] = 999), /input 999/],
    ['an output of -1', (m) => (m.subgraphs[0].operators[0].outputs[0] = -1), /output -1/],
    ['a graph input out of range', (m) => (m.subgraphs[0].inputs[0] = 1e6), /input 1000000/],
    [
      'a buffer index out of range',
      (m) => (m.subgraphs[0].tensors[1].buffer = m.buffers.length),
      /missing buffer/,
    ],
    [
      'an opcode index out of range',
      (m) => (m.subgraphs[0].operators[3].opcodeIndex = 99),
      /missing opcode 99/,
    ],
    [
      'constant data of the wrong size',
      (m) => {
        const t = m.subgraphs[0].tensors.find((x) => m.buffers[x.buffer].length > 0)!;
        t.shape = [...t.shape, 2];
      },
      /data bytes but shape/,
    ],
    [
      'scales and zero points of different lengths',
      (m) => m.subgraphs[0].tensors.find((x) => x.quantization)!.quantization!.zeroPoint.push(0),
      /zero points/,
    ],
    [
      'per-channel scales that do not match the quantized dimension',
      (m) => {
        const t = m.subgraphs[0].tensors.find(
          (x) => (x.quantization?.scale.length ?? 0) > 1 && x.shape.length === 4,
        )!;
        t.quantization!.quantizedDimension = 1;
      },
      /per-channel scales/,
    ],
    ['a negative dimension', (m) => (m.subgraphs[0].tensors[0].shape[0] = -1), /has shape/],
    [
      'a metadata entry naming a missing buffer',
      (m) => m.metadata.push({ name: 'x', buffer: 1e6 }),
      /metadata/,
    ],
    ['no subgraphs', (m) => (m.subgraphs = []), /no subgraph/],
  ];

  it.each(cases)('rejects %s with INVALID_MODEL', (_name, breakIt, message) => {
    const model = person();
    breakIt(model);
    expect(() => validateModel(model)).toThrow(expect.objectContaining({ code: 'INVALID_MODEL' }));
    expect(() => validateModel(model)).toThrow(message);
  });

  it('rejects an unknown operator name with UNSUPPORTED_OP', () => {
    const model = person();
    model.operatorCodes[0].builtinCode = 'NOT_AN_OP';
    expect(() => validateModel(model)).toThrow(expect.objectContaining({ code: 'UNSUPPORTED_OP' }));
  });
});
