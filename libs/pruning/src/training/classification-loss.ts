import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';

/** True if the model's last layer applies softmax, so its outputs are probabilities. */
export function outputsProbabilities(model: tfl.LayersModel): boolean {
  const last = model.outputs[0].sourceLayer;
  const config = last.getConfig();
  return config.activation === 'softmax' || last.getClassName() === 'Softmax';
}

/** Log-probabilities from logits or from softmax outputs (clipped so log stays finite). */
export function logProbabilities(output: tf.Tensor, probabilities: boolean): tf.Tensor2D {
  return (probabilities ? tf.log(tf.clipByValue(output, 1e-7, 1)) : tf.logSoftmax(output)) as tf.Tensor2D;
}

/** Mean sparse categorical cross-entropy from log-probabilities and int32 labels. */
export function crossEntropy(logProbs: tf.Tensor2D, labels: tf.Tensor1D): tf.Scalar {
  const oneHot = tf.oneHot(labels, logProbs.shape[1]);
  return tf.neg(tf.mean(tf.sum(tf.mul(oneHot, logProbs), 1))) as tf.Scalar;
}

/**
 * Hinton et al. 2015 distillation term: T^2 * KL(teacher_T || student_T), where _T is the
 * softmax at temperature T. Log-probabilities work as logits since softmax ignores a shift.
 */
export function distillationLoss(student: tf.Tensor2D, teacher: tf.Tensor2D, temperature: number): tf.Scalar {
  const soft = tf.softmax(tf.div(teacher, temperature));
  const logTeacher = tf.logSoftmax(tf.div(teacher, temperature));
  const logStudent = tf.logSoftmax(tf.div(student, temperature));
  const kl = tf.mean(tf.sum(tf.mul(soft, tf.sub(logTeacher, logStudent)), 1));
  return tf.mul(kl, temperature * temperature) as tf.Scalar;
}
