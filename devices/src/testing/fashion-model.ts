import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { ImageSet, toFloat01 } from '@fleetprune/datasets';
import { exportMicroModel, MicroExport } from '@fleetprune/tflite';

/**
 * A small Fashion-MNIST classifier (784-32-10 MLP) trained for about three seconds on `train` and
 * exported as int8 TFLite Micro: a realistic artifact for OTA and telemetry specs.
 */
export async function trainFashionModel(train: ImageSet, count = 1000, epochs = 2): Promise<MicroExport> {
  await tf.setBackend('cpu');
  const n = Math.min(count, train.count);
  const model = tfl.sequential({
    layers: [
      tfl.layers.flatten({ inputShape: [train.height, train.width, train.channels] }),
      tfl.layers.dense({
        units: 32,
        activation: 'relu',
        kernelInitializer: tfl.initializers.glorotUniform({ seed: 1 }),
      }),
      tfl.layers.dense({
        units: 10,
        activation: 'softmax',
        kernelInitializer: tfl.initializers.glorotUniform({ seed: 2 }),
      }),
    ],
  });
  model.compile({ optimizer: tf.train.adam(3e-3), loss: 'sparseCategoricalCrossentropy' });
  const x = tf.tensor4d(toFloat01(train, 0, n), [n, train.height, train.width, train.channels]);
  const y = tf.tensor1d(Array.from(train.labels.subarray(0, n)), 'float32');
  await model.fit(x, y, { epochs, batchSize: 64, shuffle: false, verbose: 0 });
  const representative = tf.slice(x, [0, 0, 0, 0], [200, train.height, train.width, train.channels]);
  const exported = exportMicroModel(model, representative, { name: 'fmnist_mlp' });
  tf.dispose([x, y, representative]);
  model.dispose();
  return exported;
}
