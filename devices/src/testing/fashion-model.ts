import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { ImageSet, toFloat01 } from '@fleetprune/datasets';
import { exportMicroModel, MicroExport } from '@fleetprune/tflite';

/** Size and training budget of a test MLP. */
export interface FashionMlpOptions {
  /** Training images used, from the start of `train` (default 1000). */
  count?: number;
  epochs?: number;
  /** Hidden ReLU units (default 32). */
  hidden?: number;
}

/**
 * A Fashion-MNIST classifier (784-hidden-10 MLP) with seeded weights, trained without
 * shuffling so every run reaches the same accuracy: the dense model of the closed-loop
 * tests and benchmark.
 */
export async function trainFashionMlp(
  train: ImageSet,
  options: FashionMlpOptions = {},
): Promise<tfl.Sequential> {
  await tf.setBackend('cpu');
  const n = Math.min(options.count ?? 1000, train.count);
  const model = tfl.sequential({
    layers: [
      tfl.layers.flatten({ inputShape: [train.height, train.width, train.channels] }),
      tfl.layers.dense({
        units: options.hidden ?? 32,
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
  await model.fit(x, y, { epochs: options.epochs ?? 2, batchSize: 64, shuffle: false, verbose: 0 });
  tf.dispose([x, y]);
  return model;
}

/**
 * A small Fashion-MNIST classifier (784-32-10 MLP) trained for about three seconds on `train` and
 * exported as int8 TFLite Micro: a realistic artifact for OTA and telemetry specs.
 */
export async function trainFashionModel(train: ImageSet, count = 1000, epochs = 2): Promise<MicroExport> {
  const model = await trainFashionMlp(train, { count, epochs });
  const n = Math.min(count, train.count, 200);
  const representative = tf.tensor4d(toFloat01(train, 0, n), [n, train.height, train.width, train.channels]);
  const exported = exportMicroModel(model, representative, { name: 'fmnist_mlp' });
  tf.dispose(representative);
  model.dispose();
  return exported;
}
