/**
 * The fixed reference CNN of DESIGN.md, so conformance tests and benchmarks compare like with
 * like. It belongs in a lib (libs/pruning) once one owns it; it lives here until then.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { seededShuffle, subset, toFloat01, type ImageSet } from '@fleetprune/datasets';

/** Options of {@link buildReferenceModel} and {@link trainReferenceModel}. */
export interface ReferenceModelOptions {
  /** Seeds weight initialisation, dropout and batch order. */
  seed: number;
  /** Adam learning rate (DESIGN.md: 1e-3). */
  learningRate: number;
  /** Images per step (DESIGN.md: 128). */
  batchSize: number;
  /** End in raw logits (linear last Dense) instead of softmax, e.g. to compare engines before it. */
  logits: boolean;
}

/** DESIGN.md's training setup with seed 7, softmax output. */
export const DEFAULT_REFERENCE_MODEL_OPTIONS: Readonly<ReferenceModelOptions> = Object.freeze({
  seed: 7,
  learningRate: 1e-3,
  batchSize: 128,
  logits: false,
});

/**
 * Conv 3x3 32/64/128 ('same') - BN - ReLU - MaxPool 2 (x3), Flatten (1152), Dense 128 - ReLU,
 * Dropout 0.25, Dense 10 softmax; compiled with Adam and categorical cross-entropy.
 */
export function buildReferenceModel(opts: Partial<ReferenceModelOptions> = {}): tfl.LayersModel {
  const o = { ...DEFAULT_REFERENCE_MODEL_OPTIONS, ...opts };
  const init = (k: number) => tfl.initializers.glorotUniform({ seed: o.seed * 100 + k });
  const model = tfl.sequential();
  [32, 64, 128].forEach((filters, i) => {
    model.add(
      tfl.layers.conv2d({
        filters,
        kernelSize: 3,
        padding: 'same',
        kernelInitializer: init(i),
        ...(i === 0 ? { inputShape: [28, 28, 1] } : {}),
      }),
    );
    model.add(tfl.layers.batchNormalization());
    model.add(tfl.layers.reLU());
    model.add(tfl.layers.maxPooling2d({ poolSize: 2 }));
  });
  model.add(tfl.layers.flatten());
  model.add(tfl.layers.dense({ units: 128, activation: 'relu', kernelInitializer: init(3) }));
  model.add(tfl.layers.dropout({ rate: 0.25, seed: o.seed }));
  model.add(
    tfl.layers.dense({ units: 10, activation: o.logits ? 'linear' : 'softmax', kernelInitializer: init(4) }),
  );
  model.compile({
    optimizer: tf.train.adam(o.learningRate),
    loss: 'categoricalCrossentropy',
    metrics: ['accuracy'],
  });
  return model;
}

/** One batch as tensors: pixels x/255 (NHWC) and one-hot labels. */
export function batchTensors(set: ImageSet, start: number, end: number): { x: tf.Tensor4D; y: tf.Tensor2D } {
  const n = end - start;
  const classes = set.classNames.length;
  return tf.tidy(() => ({
    x: tf.tensor4d(toFloat01(set, start, end), [n, set.height, set.width, set.channels]),
    y: tf.oneHot(tf.tensor1d(set.labels.subarray(start, end), 'int32'), classes) as tf.Tensor2D,
  }));
}

/**
 * Trains `model` for `epochs` passes over `set`, batch by batch in a seeded order (so a run
 * repeats), without holding the whole set as one float tensor. Returns the last epoch's mean loss.
 */
export async function trainReferenceModel(
  model: tfl.LayersModel,
  set: ImageSet,
  epochs: number,
  opts: Partial<ReferenceModelOptions> & {
    onEpoch?: (epoch: number, loss: number, seconds: number) => void;
  } = {},
): Promise<number> {
  const o = { ...DEFAULT_REFERENCE_MODEL_OPTIONS, ...opts };
  let loss = NaN;
  for (let epoch = 0; epoch < epochs; epoch++) {
    const started = performance.now();
    const order = subset(set, seededShuffle(set.count, o.seed + epoch));
    let sum = 0;
    let batches = 0;
    for (let start = 0; start < order.count; start += o.batchSize) {
      const { x, y } = batchTensors(order, start, Math.min(order.count, start + o.batchSize));
      const result = await model.trainOnBatch(x, y);
      sum += Array.isArray(result) ? result[0] : result;
      batches++;
      tf.dispose([x, y]);
    }
    loss = sum / batches;
    opts.onEpoch?.(epoch + 1, loss, (performance.now() - started) / 1000);
  }
  return loss;
}

/**
 * Sets every BatchNormalization layer's moving mean and variance to the statistics of one
 * training-mode pass over the first `count` images of `set`. After a short training run the
 * moving averages (momentum 0.99) still remember their initial 0/1 and the folded int8 model
 * is useless; one pass with momentum 0 replaces them with real statistics.
 */
export function settleBatchNorm(model: tfl.LayersModel, set: ImageSet, count: number): void {
  const layers = model.layers.filter((l) => l.getClassName() === 'BatchNormalization');
  // momentum is read on every call (tfjs-layers normalization.js); restore it afterwards.
  const bn = layers as unknown as Array<{ momentum: number }>;
  const saved = bn.map((l) => l.momentum);
  bn.forEach((l) => (l.momentum = 0));
  try {
    const { x, y } = batchTensors(set, 0, Math.min(count, set.count));
    tf.tidy(() => {
      model.apply(x, { training: true });
    });
    tf.dispose([x, y]);
  } finally {
    bn.forEach((l, i) => (l.momentum = saved[i]));
  }
}
