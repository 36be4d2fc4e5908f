import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { TrainingData } from './train-loop';

/** Top-1 accuracy in [0, 1] of `model` on `data`, in inference mode, batch by batch. */
export function evaluateAccuracy(model: tfl.LayersModel, data: TrainingData, batchSize = 256): number {
  const count = data.y.shape[0];
  let correct = 0;
  for (let start = 0; start < count; start += batchSize) {
    const size = Math.min(batchSize, count - start);
    correct += tf.tidy(() => {
      const x = tf.slice(data.x, start, size);
      const y = tf.slice(data.y, start, size);
      const predicted = tf.argMax(model.predict(x) as tf.Tensor, -1);
      return tf.sum(tf.cast(tf.equal(predicted, y), 'int32')).dataSync()[0];
    });
  }
  return count === 0 ? 0 : correct / count;
}
