import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { toFloat01, type ImageSet } from '@fleetprune/datasets';
import { evaluateClassifier, type TfliteModel } from '@fleetprune/tflite';
import { evaluateAccuracy } from '../training/evaluate-accuracy';

/** Float accuracy of the Layers model and int8 accuracy of its export, on the same images. */
export interface DeployedAccuracy {
  readonly floatAccuracy: number;
  readonly int8Accuracy: number;
  readonly count: number;
  /** Wall time per image of the bit-exact int8 interpreter (host, not device). */
  readonly int8MsPerImage: number;
}

/**
 * Test accuracy of a model both ways: the float Layers model on x/255, and the int8 `.tflite`
 * run by libs/tflite's bit-exact interpreter on the uint8 pixels, as a device would see them.
 */
export function deployedAccuracy(
  model: tfl.LayersModel,
  tflite: TfliteModel,
  test: ImageSet,
  count = test.count,
): DeployedAccuracy {
  const n = Math.min(count, test.count);
  const pixels = test.height * test.width * test.channels;
  const floatAccuracy = imageSetAccuracy(model, test, n);
  const int8 = evaluateClassifier(tflite, {
    images: test.images.subarray(0, n * pixels),
    labels: test.labels.subarray(0, n),
    count: n,
  });
  return { floatAccuracy, int8Accuracy: int8.accuracy, count: n, int8MsPerImage: int8.msPerImage };
}

/** Float top-1 accuracy of a Layers model on the first `count` images of a set (inputs x/255). */
export function imageSetAccuracy(model: tfl.LayersModel, set: ImageSet, count = set.count): number {
  const n = Math.min(count, set.count);
  return tf.tidy(() => {
    const x = tf.tensor4d(toFloat01(set, 0, n), [n, set.height, set.width, set.channels]);
    const y = tf.tensor1d(Array.from(set.labels.subarray(0, n)), 'int32');
    return evaluateAccuracy(model, { x, y });
  });
}
