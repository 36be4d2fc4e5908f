import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { countMacs, countParams } from '../cost/model-cost';
import { PruningError } from '../pruning-error';
import { buildArchitecture } from './build-architecture';

describe(buildArchitecture.name, () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('builds the DESIGN.md reference CNN', () => {
    const model = buildArchitecture('fmnist-cnn', { seed: 1 });
    expect(model.inputs[0].shape).toEqual([null, 28, 28, 1]);
    expect(model.outputs[0].shape).toEqual([null, 10]);
    expect(model.layers.map((l) => l.getClassName())).toEqual([
      'Conv2D',
      'BatchNormalization',
      'ReLU',
      'MaxPooling2D',
      'Conv2D',
      'BatchNormalization',
      'ReLU',
      'MaxPooling2D',
      'Conv2D',
      'BatchNormalization',
      'ReLU',
      'MaxPooling2D',
      'Flatten',
      'Dense',
      'Dropout',
      'Dense',
    ]);
    expect(model.getLayer('flatten').outputShape).toEqual([null, 1152]);
    // Deployed counts with BatchNorm folded into the convolutions.
    const convs: [number, number][] = [
      [1, 32],
      [32, 64],
      [64, 128],
    ];
    const params = convs.reduce((s, [i, o]) => s + 9 * i * o + o, 0) + 1152 * 128 + 128 + 128 * 10 + 10;
    expect(countParams(model)).toBe(params);
    const macs = 28 * 28 * 9 * 32 + 14 * 14 * 9 * 32 * 64 + 7 * 7 * 9 * 64 * 128 + 1152 * 128 + 128 * 10;
    expect(countMacs(model)).toBe(macs);
    model.dispose();
  });

  it('draws the same initial weights for the same seed only', () => {
    const kernel = (seed: number) => {
      const model = buildArchitecture('fmnist-cnn', { seed });
      const values = model.getLayer('conv2').getWeights()[0].dataSync().slice();
      model.dispose();
      return values;
    };
    expect(kernel(5)).toEqual(kernel(5));
    expect(kernel(5)).not.toEqual(kernel(6));
  });

  it('names the known architectures for an unknown one', () => {
    expect(() => buildArchitecture('resnet50')).toThrow(PruningError);
    expect(() => buildArchitecture('resnet50')).toThrow(/fmnist-cnn/);
  });
});
