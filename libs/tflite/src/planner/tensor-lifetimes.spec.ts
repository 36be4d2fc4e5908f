import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readModel } from '../codec/read-model';
import { tensorLifetimes } from './tensor-lifetimes';

const DIR = join(__dirname, '../../../../../shared/testdata/tflite');

describe(tensorLifetimes.name, () => {
  it('gives hello_world_int8 its input, two activations and output, not the weights', () => {
    const model = readModel(readFileSync(join(DIR, 'hello_world_int8.tflite')));
    const g = model.subgraphs[0];
    const lifetimes = tensorLifetimes(model);
    expect(lifetimes).toHaveLength(4);
    const input = lifetimes.find((l) => l.tensor === g.inputs[0])!;
    expect(input).toMatchObject({ firstUse: 0, lastUse: 0, size: 1 });
    const output = lifetimes.find((l) => l.tensor === g.outputs[0])!;
    expect(output).toMatchObject({ firstUse: 2, lastUse: 2, size: 1 });
    const hidden = lifetimes.filter((l) => l !== input && l !== output);
    expect(hidden.map((l) => [l.firstUse, l.lastUse, l.size])).toEqual([
      [0, 1, 16],
      [1, 2, 16],
    ]);
    for (const l of lifetimes) expect(model.buffers[g.tensors[l.tensor].buffer]).toHaveLength(0);
  });

  it('keeps both simple_add inputs alive from step 0 and skips variable tensors', () => {
    const model = readModel(readFileSync(join(DIR, 'simple_add_model.tflite')));
    const g = model.subgraphs[0];
    expect(tensorLifetimes(model).map((l) => [l.firstUse, l.lastUse, l.size])).toEqual([
      [0, 0, 16384],
      [0, 0, 16384],
      [0, 0, 16384],
    ]);
    g.tensors[g.inputs[0]].isVariable = true;
    expect(tensorLifetimes(model)).toHaveLength(2);
  });

  it('lets every person_detect activation live exactly from its producer to its last reader', () => {
    const model = readModel(readFileSync(join(DIR, 'person_detect.tflite')));
    const ops = model.subgraphs[0].operators;
    for (const l of tensorLifetimes(model)) {
      const producer = ops.findIndex((op) => op.outputs.includes(l.tensor));
      const readers = ops.flatMap((op, i) => (op.inputs.includes(l.tensor) ? [i] : []));
      expect(l.firstUse).toBe(producer === -1 ? 0 : producer);
      expect(l.lastUse).toBe(readers.length ? Math.max(...readers) : ops.length - 1);
    }
  });
});
