import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readModel } from '../codec/read-model';
import { TfliteError } from '../tflite-error';
import { INT8_OP_VERSIONS } from '../quantizer/op-versions';
import { emitOpResolver, TFLM_ADD_METHODS, usedBuiltinOps } from './emit-op-resolver';

const DIR = join(__dirname, '../../../../../shared/testdata/tflite');

describe(emitOpResolver.name, () => {
  const person = readModel(new Uint8Array(readFileSync(join(DIR, 'person_detect.tflite'))));

  it('adds exactly the ops the model uses, once each, sized to their count', () => {
    const ops = usedBuiltinOps(person);
    const text = emitOpResolver(person, { arenaBytes: 85_616, name: 'person_detect' });
    const adds = [...text.matchAll(/resolver\.(Add\w+)\(\)/g)].map((m) => m[1]);
    expect(new Set(adds).size).toBe(adds.length);
    expect(adds.length).toBe(ops.length);
    expect(new Set(ops)).toEqual(new Set(person.operatorCodes.map((c) => c.builtinCode)));
    expect(adds).toEqual(
      expect.arrayContaining([
        'AddConv2D',
        'AddDepthwiseConv2D',
        'AddAveragePool2D',
        'AddReshape',
        'AddSoftmax',
      ]),
    );
    expect(text).toContain(`constexpr int kPersonDetectOpCount = ${ops.length};`);
    expect(text).toContain(
      'using PersonDetectOpResolver = tflite::MicroMutableOpResolver<kPersonDetectOpCount>;',
    );
    expect(text).toContain('constexpr int kPersonDetectArenaSize = 85616;');
    expect(text).toContain('#ifndef FLEETPRUNE_PERSON_DETECT_OP_RESOLVER_H_');
  });

  it('refuses ops it has no resolver method for, and bad arena sizes', () => {
    const operatorCodes = person.operatorCodes.map((c, i) =>
      i === 0 ? { builtinCode: 'CUSTOM', customCode: 'TFLite_Detection_PostProcess', version: 1 } : c,
    );
    const custom = { ...person, operatorCodes };
    expect(() => emitOpResolver(custom, { arenaBytes: 1024 })).toThrow(/CUSTOM:TFLite_Detection_PostProcess/);
    expect(() => emitOpResolver(person, { arenaBytes: 0 })).toThrow(TfliteError);
  });

  it('knows a resolver method for every op the quantizer emits', () => {
    expect(Object.keys(INT8_OP_VERSIONS).filter((op) => !TFLM_ADD_METHODS[op])).toEqual([]);
  });
});
