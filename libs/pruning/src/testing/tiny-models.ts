import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { seededRng } from '../seeded-rng';

// Small models covering every coupling the dependency graph handles; specs share them.

/**
 * Conv-BN-ReLU-Pool twice, Flatten, Dense, Dropout, Dense logits; seeded, so a spec that
 * differentiates through its ReLU and max-pool kinks sees the same weights every run.
 */
export function sequentialCnn(): tfl.Sequential {
  return tfl.sequential({
    layers: [
      tfl.layers.conv2d({
        kernelInitializer: seeded(7, 0),
        name: 'c1',
        inputShape: [8, 8, 2],
        filters: 4,
        kernelSize: 3,
        padding: 'same',
      }),
      tfl.layers.batchNormalization({ name: 'bn1' }),
      tfl.layers.reLU({ name: 'r1' }),
      tfl.layers.maxPooling2d({ name: 'p1', poolSize: 2 }),
      tfl.layers.conv2d({
        kernelInitializer: seeded(7, 1),
        name: 'c2',
        filters: 6,
        kernelSize: 3,
        padding: 'same',
        useBias: false,
      }),
      tfl.layers.batchNormalization({ name: 'bn2' }),
      tfl.layers.activation({ name: 'a2', activation: 'relu' }),
      tfl.layers.averagePooling2d({ name: 'p2', poolSize: 2 }),
      tfl.layers.flatten({ name: 'flat' }),
      tfl.layers.dense({ kernelInitializer: seeded(7, 2), name: 'd1', units: 5, activation: 'relu' }),
      tfl.layers.dropout({ name: 'drop', rate: 0.25 }),
      tfl.layers.dense({ kernelInitializer: seeded(7, 3), name: 'out', units: 3 }),
    ],
  });
}

/**
 * The end-to-end CNN for `blobTask` (6x6x1): over-wide on purpose so pruning has room, and
 * small enough that the stock cpu backend (slow Conv2DBackpropFilter) trains it in seconds.
 */
export function blobCnn(seed = 1): tfl.Sequential {
  return tfl.sequential({
    layers: [
      tfl.layers.conv2d({
        kernelInitializer: seeded(seed, 0),
        name: 'c1',
        inputShape: [6, 6, 1],
        filters: 8,
        kernelSize: 3,
        padding: 'same',
      }),
      tfl.layers.batchNormalization({ name: 'bn1' }),
      tfl.layers.reLU({ name: 'r1' }),
      tfl.layers.maxPooling2d({ name: 'p1', poolSize: 2 }),
      tfl.layers.conv2d({
        kernelInitializer: seeded(seed, 1),
        name: 'c2',
        filters: 8,
        kernelSize: 3,
        activation: 'relu',
      }),
      tfl.layers.flatten({ name: 'flat' }),
      tfl.layers.dense({ kernelInitializer: seeded(seed, 2), name: 'd1', units: 16, activation: 'relu' }),
      tfl.layers.dropout({ name: 'drop', rate: 0.1 }),
      tfl.layers.dense({ kernelInitializer: seeded(seed, 3), name: 'out', units: 3, activation: 'softmax' }),
    ],
  });
}

/** A Dense-only classifier for flattened `blobTask` images: fast enough for many batches. */
export function blobMlp(seed = 1): tfl.Sequential {
  return tfl.sequential({
    layers: [
      tfl.layers.flatten({ name: 'flat', inputShape: [6, 6, 1] }),
      tfl.layers.dense({ kernelInitializer: seeded(seed, 4), name: 'h1', units: 16, activation: 'relu' }),
      tfl.layers.dense({ kernelInitializer: seeded(seed, 5), name: 'h2', units: 12, activation: 'relu' }),
      tfl.layers.dense({ kernelInitializer: seeded(seed, 6), name: 'out', units: 3 }),
    ],
  });
}

/** Stem conv, a residual block tied by Add, a depthwise conv, GAP and a Dense head. */
export function residualModel(): tfl.LayersModel {
  const input = tfl.input({ shape: [6, 6, 3], name: 'x' });
  const stem = apply(input, tfl.layers.conv2d({ name: 'stem', filters: 4, kernelSize: 3, padding: 'same' }));
  const a = apply(
    apply(stem, tfl.layers.batchNormalization({ name: 'bn_s' })),
    tfl.layers.reLU({ name: 'r_s' }),
  );
  const h = apply(a, tfl.layers.conv2d({ name: 'b1', filters: 5, kernelSize: 3, padding: 'same' }));
  const h2 = apply(
    apply(h, tfl.layers.batchNormalization({ name: 'bn_b1' })),
    tfl.layers.reLU({ name: 'r_b1' }),
  );
  const b = apply(h2, tfl.layers.conv2d({ name: 'b2', filters: 4, kernelSize: 3, padding: 'same' }));
  const sum = tfl.layers
    .add({ name: 'sum' })
    .apply([a, apply(b, tfl.layers.batchNormalization({ name: 'bn_b2' }))]);
  const r = apply(sum as tfl.SymbolicTensor, tfl.layers.reLU({ name: 'r_sum' }));
  const dw = apply(r, tfl.layers.depthwiseConv2d({ name: 'dw', kernelSize: 3, padding: 'same' }));
  const pw = apply(
    apply(dw, tfl.layers.batchNormalization({ name: 'bn_dw' })),
    tfl.layers.conv2d({ name: 'pw', filters: 5, kernelSize: 1 }),
  );
  const gap = apply(pw, tfl.layers.globalAveragePooling2d({ name: 'gap' }));
  const out = apply(gap, tfl.layers.dense({ name: 'out', units: 3 }));
  return tfl.model({ inputs: input, outputs: out });
}

/** Two branches joined by Concatenate, a depthwise conv with multiplier 2, Flatten, Dense. */
export function concatModel(): tfl.LayersModel {
  const input = tfl.input({ shape: [6, 6, 2], name: 'x' });
  const p = apply(input, tfl.layers.conv2d({ name: 'p', filters: 3, kernelSize: 3, padding: 'same' }));
  const q = apply(input, tfl.layers.conv2d({ name: 'q', filters: 4, kernelSize: 1 }));
  const cat = tfl.layers.concatenate({ name: 'cat' }).apply([p, q]) as tfl.SymbolicTensor;
  const n = apply(
    apply(cat, tfl.layers.batchNormalization({ name: 'bn_cat' })),
    tfl.layers.reLU({ name: 'r' }),
  );
  const pool = apply(n, tfl.layers.maxPooling2d({ name: 'pool', poolSize: 2 }));
  const dw = apply(
    pool,
    tfl.layers.depthwiseConv2d({ name: 'dw', kernelSize: 3, depthMultiplier: 2, padding: 'same' }),
  );
  const c = apply(dw, tfl.layers.conv2d({ name: 'c', filters: 5, kernelSize: 3 }));
  const flat = apply(c, tfl.layers.flatten({ name: 'flat' }));
  const out = apply(flat, tfl.layers.dense({ name: 'out', units: 3 }));
  return tfl.model({ inputs: input, outputs: out });
}

/** Glorot-uniform with a fixed seed per layer, so test models start identical every run. */
function seeded(seed: number, layer: number): ReturnType<typeof tfl.initializers.glorotUniform> {
  return tfl.initializers.glorotUniform({ seed: seed * 100 + layer });
}

function apply(x: tfl.SymbolicTensor, layer: tfl.layers.Layer): tfl.SymbolicTensor {
  return layer.apply(x) as tfl.SymbolicTensor;
}

/** Random non-trivial BatchNorm statistics, so a BN is never the identity in tests. */
export function randomizeBatchNorms(model: tfl.LayersModel, seed: number): void {
  const rng = seededRng(seed);
  for (const layer of model.layers) {
    if (layer.getClassName() !== 'BatchNormalization') continue;
    const values = layer.getWeights().map((w, i) => {
      const data = Float32Array.from({ length: w.size }, () => (i === 3 ? 0.5 + rng() : rng() * 2 - 1));
      return tf.tensor(data, w.shape);
    });
    layer.setWeights(values);
    tf.dispose(values);
  }
}

/** Uniform [0, 1) NHWC input batch. */
export function randomInput(shape: number[], seed: number): tf.Tensor {
  return tf.randomUniform(shape, 0, 1, 'float32', seed);
}
