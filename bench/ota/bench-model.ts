// A Fashion-MNIST-shaped int8 model of about 100 KB for the OTA benchmark (untrained weights:
// the transfer does not care what the bytes compute, the devices' self-test runs it anyway).
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { exportMicroModel } from '@fleetprune/tflite';

/**
 * Conv 3x3x16 - pool - dense(hidden) - dense 10; hidden 30 gives about 100 KB of int8. Another
 * `variant` gives other weights in a file of the same size (a distinct artifact to deploy).
 */
export async function buildBenchModel(hidden = 30, variant = 0): Promise<Uint8Array> {
  const seed = (n: number): number => n + 10 * variant;
  await tf.setBackend('cpu');
  const model = tfl.sequential();
  model.add(
    tfl.layers.conv2d({
      inputShape: [28, 28, 1],
      filters: 16,
      kernelSize: 3,
      padding: 'same',
      activation: 'relu',
      kernelInitializer: tfl.initializers.glorotUniform({ seed: seed(1) }),
    }),
  );
  model.add(tfl.layers.maxPooling2d({ poolSize: 2 }));
  model.add(tfl.layers.flatten());
  model.add(
    tfl.layers.dense({
      units: hidden,
      activation: 'relu',
      kernelInitializer: tfl.initializers.glorotUniform({ seed: seed(2) }),
    }),
  );
  model.add(
    tfl.layers.dense({
      units: 10,
      activation: 'softmax',
      kernelInitializer: tfl.initializers.glorotUniform({ seed: seed(3) }),
    }),
  );
  const representative = tf.randomUniform([16, 28, 28, 1], 0, 1, 'float32', seed(4));
  const exported = exportMicroModel(model, representative, { name: 'bench' });
  representative.dispose();
  return exported.tflite;
}

/** `count` distinct bench models of one size; throws if the sizes differ (the rows compare bytes). */
export async function buildBenchModels(count: number): Promise<Uint8Array[]> {
  const models: Uint8Array[] = [];
  for (let variant = 0; variant < count; variant++) models.push(await buildBenchModel(30, variant));
  const sizes = new Set(models.map((m) => m.length));
  if (sizes.size > 1) throw new Error(`bench model variants differ in size: ${[...sizes].join(', ')} bytes`);
  return models;
}
