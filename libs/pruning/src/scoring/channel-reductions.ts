import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { BoundAxis, PruningGraph, WeightBinding } from '../graph/pruning-graph';

/**
 * Per group, per channel: sum of |w| or w^2 over every selected weight axis bound to it.
 * Differentiable (call inside a gradient tape for regularisers); caller owns the tensors.
 */
export function channelReductions(
  model: tfl.LayersModel,
  graph: PruningGraph,
  reduce: 'abs' | 'square',
  select: (binding: WeightBinding, axis: BoundAxis) => boolean,
): Map<string, tf.Tensor1D> {
  const sums = new Map<string, tf.Tensor1D>();
  for (const b of graph.bindings) {
    const weight = model.getLayer(b.layer).weights[b.index].read();
    for (const a of b.axes) {
      if (!select(b, a)) continue;
      const magnitude = reduce === 'abs' ? tf.abs(weight) : tf.square(weight);
      const others = b.shape.map((_, i) => i).filter((i) => i !== a.axis);
      let perIndex = (others.length > 0 ? tf.sum(magnitude, others) : magnitude) as tf.Tensor1D;
      const perPosition = perIndex.size / a.layout.spatial;
      if (a.layout.spatial > 1) perIndex = tf.sum(tf.reshape(perIndex, [a.layout.spatial, perPosition]), 0);
      let offset = 0;
      for (const s of a.layout.segments) {
        const slice = tf.slice(perIndex, offset, s.size * s.repeat);
        const perChannel = (
          s.repeat === 1 ? slice : tf.sum(tf.reshape(slice, [s.size, s.repeat]), 1)
        ) as tf.Tensor1D;
        const previous = sums.get(s.groupId);
        sums.set(s.groupId, previous ? tf.add(previous, perChannel) : perChannel);
        offset += s.size * s.repeat;
      }
    }
  }
  return sums;
}
