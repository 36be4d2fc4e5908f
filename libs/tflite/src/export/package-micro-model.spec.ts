import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { estimateArena } from '../planner/estimate-arena';
import { readModel } from '../codec/read-model';
import { packageMicroModel } from './package-micro-model';

const DIR = join(__dirname, '../../../../../shared/testdata/tflite');

describe(packageMicroModel.name, () => {
  it('packages the official person_detect model like an export: same bytes, ops, arena and C files', () => {
    const bytes = readFileSync(join(DIR, 'person_detect.tflite'));
    const { report, files } = packageMicroModel(bytes, { name: 'person' });
    expect(report.flashBytes).toBe(bytes.length);
    expect(report.ops).toEqual(['AVERAGE_POOL_2D', 'CONV_2D', 'DEPTHWISE_CONV_2D', 'RESHAPE', 'SOFTMAX']);
    expect(report.arenaBytes32).toBe(estimateArena(readModel(bytes), { pointerBytes: 4 }).total);
    expect(report.arenaBytes).toBeGreaterThan(report.arenaBytes32);
    expect(report.input.shape).toEqual([1, 96, 96, 1]);
    expect(report.output.shape).toEqual([1, 2]);
    expect(files.map((f) => f.name)).toEqual([
      'model.tflite',
      'model_data.h',
      'model_data.cc',
      'op_resolver.h',
      'report.json',
    ]);
    expect(Buffer.from(files[0].bytes).equals(bytes)).toBe(true);
    const resolver = new TextDecoder().decode(files[3].bytes);
    expect(resolver).toContain('AddDepthwiseConv2D');
    expect(resolver).toContain(String(report.arenaBytes));
    expect(JSON.parse(new TextDecoder().decode(files[4].bytes))).toEqual(report);
  });

  it('refuses a float model, whose input has no int8 quantization, and garbage bytes', () => {
    expect(() => packageMicroModel(readFileSync(join(DIR, 'hello_world_float.tflite')))).toThrow(
      /not quantized per tensor/,
    );
    expect(() => packageMicroModel(new Uint8Array(64).fill(7))).toThrow();
  });
});
