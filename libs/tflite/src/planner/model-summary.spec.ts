import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readModel } from '../codec/read-model';
import { writeModel } from '../codec/write-model';
import { estimateArena } from './estimate-arena';
import { modelSummary } from './model-summary';

const DIR = join(__dirname, '../../../../../shared/testdata/tflite');

describe(modelSummary.name, () => {
  it('summarises person_detect: ops with counts, tensors, flash and arena bytes', () => {
    const bytes = readFileSync(join(DIR, 'person_detect.tflite'));
    const model = readModel(bytes);
    const summary = modelSummary(model, { fileBytes: bytes.length });
    expect(summary.ops.map((o) => [o.op, o.count]).sort()).toEqual(
      [
        ['AVERAGE_POOL_2D', 1],
        ['CONV_2D', 14],
        ['DEPTHWISE_CONV_2D', 14],
        ['RESHAPE', 1],
        ['SOFTMAX', 1],
      ].sort(),
    );
    expect(summary.flashBytes).toBe(300_568);
    expect(summary.arenaBytes).toBe(estimateArena(model).total);
    expect(summary.arenaBytes).toBe(summary.arenaPlannedBytes + summary.arenaOverheadBytes);
    const input = summary.tensors[summary.inputs[0]];
    expect(input).toMatchObject({ type: 'INT8', shape: [1, 96, 96, 1], constant: false, bytes: 9216 });
    expect(input.quantization?.zeroPoint).toEqual([-1]);
    const constantBytes = summary.tensors.filter((t) => t.constant).reduce((n, t) => n + t.bytes, 0);
    expect(constantBytes).toBeLessThan(summary.flashBytes);
  });

  it('uses the re-serialised size as flash bytes when the file size is not given', () => {
    const model = readModel(readFileSync(join(DIR, 'hello_world_int8.tflite')));
    expect(modelSummary(model).flashBytes).toBe(writeModel(model).length);
  });
});
