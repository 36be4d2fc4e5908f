import * as tf from '@tensorflow/tfjs-core';
import { PruningError } from '../pruning-error';
import { TrainingData } from '../training/train-loop';
import { DataInput } from './prune-options';

/** Tensors for `input`, plus the ones created here (the caller disposes those). */
export function toTrainingData(input: DataInput, what: string): { data: TrainingData; owned: tf.Tensor[] } {
  if ('shape' in input) {
    const count = input.shape[0];
    if (input.x.length !== input.shape.reduce((a, b) => a * b, 1) || input.y.length !== count) {
      throw new PruningError(
        'INVALID_DATA',
        `${what}: x must hold shape ${JSON.stringify(input.shape)} and y ${count} labels`,
      );
    }
    const x = tf.tensor(input.x, input.shape, 'float32');
    const y = tf.tensor1d(Array.from(input.y), 'int32');
    return { data: { x, y }, owned: [x, y] };
  }
  if (input.x.shape[0] !== input.y.shape[0] || input.y.dtype !== 'int32') {
    throw new PruningError('INVALID_DATA', `${what}: y must be int32 labels, one per row of x`);
  }
  return { data: input, owned: [] };
}
