import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readModel } from '../codec/read-model';
import { evaluateClassifier, quantizePixel } from './evaluate-classifier';

const TESTDATA = join(__dirname, '..', '..', '..', '..', '..', 'shared', 'testdata', 'tflite');

describe(evaluateClassifier.name, () => {
  it('quantizes pixels with rounding and saturation', () => {
    expect(quantizePixel(0, 1 / 255, 1 / 255, -128)).toBe(-128);
    expect(quantizePixel(255, 1 / 255, 1 / 255, -128)).toBe(127);
    expect(quantizePixel(255, 1 / 255, 1 / 512, -128)).toBe(127);
    expect(quantizePixel(100, 1, 2, 0)).toBe(50);
  });

  it('refuses images of the wrong size', () => {
    const model = readModel(readFileSync(join(TESTDATA, 'hello_world_int8.tflite')));
    expect(() =>
      evaluateClassifier(model, { images: new Uint8Array(4), labels: new Uint8Array(2), count: 2 }),
    ).toThrow(/needs 1/);
  });
});
