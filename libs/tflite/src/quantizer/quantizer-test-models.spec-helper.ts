/**
 * Test helper: small Layers models with non-trivial BatchNormalization statistics, built with a
 * fixed seed so the quantizer specs are deterministic. Not exported from the lib.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

/** Sets every BatchNormalization layer's gamma/beta/mean/variance to seeded non-trivial values. */
export function randomizeBatchNorm(model: tfl.LayersModel, seed: number): void {
  let s = seed;
  for (const layer of model.layers) {
    if (layer.getClassName() !== 'BatchNormalization') continue;
    const shapes = layer.getWeights().map((w) => w.shape);
    const values = shapes.map((shape, i) =>
      i === 3
        ? tf.randomUniform(shape, 0.2, 2, 'float32', s++)
        : tf.randomUniform(shape, i === 0 ? 0.5 : -0.5, i === 0 ? 1.5 : 0.5, 'float32', s++),
    );
    layer.setWeights(values);
  }
}

/** Functional CNN: Conv(dilated)-BN-ReLU, DepthwiseConv-BN-ReLU6, Add skip, AvgPool, DepthwiseConv(x2, relu), GAP, Dense softmax. */
export function tinyResidualCnn(): tfl.LayersModel {
  const input = tfl.input({ shape: [12, 12, 2], name: 'image' });
  const c1 = tfl.layers
    .conv2d({
      filters: 4,
      kernelSize: 3,
      padding: 'same',
      dilationRate: 2,
      useBias: false,
      name: 'c1',
      kernelInitializer: tfl.initializers.glorotUniform({ seed: 1 }),
    })
    .apply(input) as tfl.SymbolicTensor;
  const b1 = tfl.layers.batchNormalization({ name: 'b1' }).apply(c1) as tfl.SymbolicTensor;
  const r1 = tfl.layers.reLU({ name: 'r1' }).apply(b1) as tfl.SymbolicTensor;
  const d1 = tfl.layers
    .depthwiseConv2d({
      kernelSize: 3,
      depthMultiplier: 1,
      padding: 'same',
      name: 'd1',
      depthwiseInitializer: tfl.initializers.glorotUniform({ seed: 2 }),
    })
    .apply(r1) as tfl.SymbolicTensor;
  const b2 = tfl.layers.batchNormalization({ name: 'b2' }).apply(d1) as tfl.SymbolicTensor;
  const r2 = tfl.layers.activation({ activation: 'relu6', name: 'r2' }).apply(b2) as tfl.SymbolicTensor;
  const sum = tfl.layers.add({ name: 'sum' }).apply([r1, r2]) as tfl.SymbolicTensor;
  const pooled = tfl.layers.averagePooling2d({ poolSize: 2, name: 'pool' }).apply(sum) as tfl.SymbolicTensor;
  const d2 = tfl.layers
    .depthwiseConv2d({
      kernelSize: 2,
      depthMultiplier: 2,
      padding: 'valid',
      activation: 'relu',
      name: 'd2',
      depthwiseInitializer: tfl.initializers.glorotUniform({ seed: 6 }),
    })
    .apply(pooled) as tfl.SymbolicTensor;
  const c2 = tfl.layers
    .conv2d({
      filters: 6,
      kernelSize: 3,
      strides: 2,
      padding: 'valid',
      activation: 'relu',
      name: 'c2',
      kernelInitializer: tfl.initializers.glorotUniform({ seed: 3 }),
      biasInitializer: tfl.initializers.randomUniform({ minval: -0.1, maxval: 0.1, seed: 4 }),
    })
    .apply(d2) as tfl.SymbolicTensor;
  const gap = tfl.layers.globalAveragePooling2d({ name: 'gap' }).apply(c2) as tfl.SymbolicTensor;
  const out = tfl.layers
    .dense({
      units: 5,
      activation: 'softmax',
      name: 'logits',
      kernelInitializer: tfl.initializers.glorotUniform({ seed: 5 }),
    })
    .apply(gap) as tfl.SymbolicTensor;
  const model = tfl.model({ inputs: input, outputs: out });
  randomizeBatchNorm(model, 10);
  return model;
}

/** Sequential CNN as the brief's end-to-end: Conv-BN-ReLU-MaxPool-Flatten-Dense-Dropout-Dense(softmax). */
export function smallSequentialCnn(inputShape: number[], classes: number, seed = 7): tfl.Sequential {
  const init = (s: number) => tfl.initializers.glorotUniform({ seed: seed + s });
  const model = tfl.sequential();
  model.add(
    tfl.layers.conv2d({
      inputShape,
      filters: 8,
      kernelSize: 3,
      padding: 'same',
      name: 'conv',
      kernelInitializer: init(0),
    }),
  );
  model.add(tfl.layers.batchNormalization({ name: 'bn' }));
  model.add(tfl.layers.reLU({ name: 'relu' }));
  model.add(tfl.layers.maxPooling2d({ poolSize: 2, name: 'pool' }));
  model.add(tfl.layers.flatten({ name: 'flatten' }));
  model.add(tfl.layers.dense({ units: 32, activation: 'relu', name: 'fc1', kernelInitializer: init(1) }));
  model.add(tfl.layers.dropout({ rate: 0.25, name: 'drop', seed }));
  model.add(
    tfl.layers.dense({ units: classes, activation: 'softmax', name: 'fc2', kernelInitializer: init(2) }),
  );
  return model;
}
