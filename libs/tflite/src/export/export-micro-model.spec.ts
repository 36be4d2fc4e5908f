import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { readModel } from '../codec/read-model';
import { Interpreter } from '../interpreter/interpreter';
import { exportMicroModel } from './export-micro-model';

describe(exportMicroModel.name, () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('emits a runnable .tflite with matching C array, resolver and report', () => {
    const model = tfl.sequential();
    model.add(
      tfl.layers.conv2d({
        inputShape: [8, 8, 1],
        filters: 4,
        kernelSize: 3,
        padding: 'same',
        activation: 'relu',
        seed: 1,
      } as never),
    );
    model.add(tfl.layers.maxPooling2d({ poolSize: 2 }));
    model.add(tfl.layers.flatten());
    model.add(tfl.layers.dense({ units: 3, activation: 'softmax' }));
    const samples = tf.randomUniform([32, 8, 8, 1], 0, 1, 'float32', 3);
    const exported = exportMicroModel(model, samples, { name: 'tiny_cnn' });
    samples.dispose();

    expect(exported.files.map((f) => f.name)).toEqual([
      'model.tflite',
      'model_data.h',
      'model_data.cc',
      'op_resolver.h',
      'report.json',
    ]);
    expect(exported.report).toMatchObject({
      name: 'tiny_cnn',
      flashBytes: exported.tflite.length,
      ops: ['CONV_2D', 'FULLY_CONNECTED', 'MAX_POOL_2D', 'RESHAPE', 'SOFTMAX'],
    });
    expect(exported.report.arenaBytes32).toBeLessThanOrEqual(exported.report.arenaBytes);
    const resolver = new TextDecoder().decode(exported.files[3].bytes);
    expect(resolver).toContain(`${exported.report.arenaBytes}`);
    const source = new TextDecoder().decode(exported.files[2].bytes);
    expect(source).toContain(`tiny_cnn_len = ${exported.tflite.length}`);

    const interpreter = new Interpreter(readModel(exported.tflite)).allocate();
    interpreter.setInput(0, new Int8Array(64).fill(-128));
    interpreter.invoke();
    const out = interpreter.output(0) as Int8Array;
    // Softmax output in int8 with scale 1/256, zero point -128: probabilities sum to ~1.
    const sum = Array.from(out).reduce((a, q) => a + (q + 128) / 256, 0);
    expect(sum).toBeGreaterThan(0.95);
    expect(sum).toBeLessThan(1.05);
  });
});
