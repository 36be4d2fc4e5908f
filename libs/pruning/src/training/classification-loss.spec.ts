import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { crossEntropy, distillationLoss, logProbabilities } from './classification-loss';

describe(distillationLoss.name, () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('is zero for identical outputs and grows with disagreement', () => {
    const teacher = tf.tensor2d([
      [2, 0, -1],
      [0, 1, 3],
    ]);
    const near = tf.tensor2d([
      [1.8, 0.1, -1],
      [0, 1.2, 2.9],
    ]);
    const far = tf.tensor2d([
      [-1, 0, 2],
      [3, 1, 0],
    ]);
    const at = (s: tf.Tensor2D) => distillationLoss(s, teacher, 3).dataSync()[0];
    expect(at(teacher)).toBeCloseTo(0, 6);
    expect(at(near)).toBeGreaterThan(0);
    expect(at(far)).toBeGreaterThan(at(near));
  });

  it('reads softmax outputs and logits as the same log-probabilities', () => {
    const logits = tf.tensor2d([[0.5, -1, 2]]);
    const fromLogits = logProbabilities(logits, false);
    const fromProbs = logProbabilities(tf.softmax(logits), true);
    expect(Array.from(fromProbs.dataSync())).toEqual(
      Array.from(fromLogits.dataSync()).map((v) => expect.closeTo(v, 5)),
    );
    const expected = -fromLogits.dataSync()[2];
    expect(crossEntropy(fromLogits, tf.tensor1d([2], 'int32')).dataSync()[0]).toBeCloseTo(expected, 6);
  });
});
