import * as tf from '@tensorflow/tfjs-core';
import { seededRng } from '../seeded-rng';

/**
 * A small learnable image task: size x size x 1 noise with a bright 3x3 blob whose corner
 * (one of `classes` <= 4) is the label. Learnable by a tiny CNN in a few dozen batches.
 */
export function blobTask(
  count: number,
  seed: number,
  classes = 3,
  size = 6,
): { x: tf.Tensor4D; y: tf.Tensor1D } {
  const rng = seededRng(seed);
  const data = new Float32Array(count * size * size);
  const labels = new Int32Array(count);
  const far = size - 3;
  const corners = [
    [0, 0],
    [far, far],
    [0, far],
    [far, 0],
  ].slice(0, classes);
  for (let n = 0; n < count; n++) {
    const label = Math.floor(rng() * classes);
    labels[n] = label;
    const [top, left] = corners[label];
    for (let i = 0; i < size * size; i++) data[n * size * size + i] = rng() * 0.7;
    for (let h = 0; h < 3; h++) {
      for (let w = 0; w < 3; w++) data[(n * size + top + h) * size + left + w] += 0.6;
    }
  }
  return { x: tf.tensor4d(data, [count, size, size, 1]), y: tf.tensor1d(labels, 'int32') };
}
