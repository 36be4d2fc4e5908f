/**
 * The three artifacts the Raspberry Pi OTA spec ships: an untrained factory model, the same
 * network trained for a few seconds on Fashion-MNIST, and that one again with per-channel dense
 * weights, which Arm NN refuses (the agent's self-test must catch it).
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { loadFashionMnist, representativeSubset, take, toFloat01 } from '@fleetprune/datasets';
import { exportMicroModel, type MicroExport } from '@fleetprune/tflite';
import { selectBackend } from '@fleetprune/tfjs-runtime';
import { batchTensors } from '../../../tools/conformance/reference-model';

/** What `trainRpiModels` returns. */
export interface RpiTestModels {
  factory: MicroExport;
  trained: MicroExport;
  perChannel: MicroExport;
  testImages: ReturnType<typeof loadFashionMnist>['test'];
}

/** Trains on 2048 Fashion-MNIST images in batches of 64 and exports the three artifacts. */
export async function trainRpiModels(): Promise<RpiTestModels> {
  await selectBackend({ prefer: ['wasm', 'cpu'], log: () => undefined });
  const { train, test } = loadFashionMnist();
  const model = tinyCnn();
  const calibration = toFloat01(representativeSubset(train, 100));
  // Untrained weights for the factory model: a different artifact that still runs.
  const factory = exportMicroModel(model, calibration, { name: 'factory', perChannelDense: false });
  const data = take(train, 2048);
  for (let start = 0; start < data.count; start += 64) {
    const { x, y } = batchTensors(data, start, start + 64);
    await model.trainOnBatch(x, y);
    tf.dispose([x, y]);
  }
  const trained = exportMicroModel(model, calibration, { name: 'trained', perChannelDense: false });
  const perChannel = exportMicroModel(model, calibration, { name: 'per_channel', perChannelDense: true });
  model.dispose();
  return { factory, trained, perChannel, testImages: test };
}

/** Conv 3x3 (8) - ReLU - MaxPool 4 - Dense 10 softmax: small enough to train in seconds. */
function tinyCnn(): tfl.LayersModel {
  const model = tfl.sequential();
  model.add(
    tfl.layers.conv2d({
      inputShape: [28, 28, 1],
      filters: 8,
      kernelSize: 3,
      activation: 'relu',
      padding: 'same',
    }),
  );
  model.add(tfl.layers.maxPooling2d({ poolSize: 4 }));
  model.add(tfl.layers.flatten());
  model.add(tfl.layers.dense({ units: 10, activation: 'softmax' }));
  model.compile({ optimizer: tf.train.adam(3e-3), loss: 'categoricalCrossentropy' });
  return model;
}
