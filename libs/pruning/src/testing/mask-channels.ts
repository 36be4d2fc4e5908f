import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { buildPruningGraph } from '../graph/build-pruning-graph';
import { keptLayoutIndices, layoutWidth } from '../graph/channel-layout';
import { KeepMap } from '../graph/pruning-graph';
import { pruneChannels } from '../surgery/prune-channels';

/**
 * Test oracle: a same-size copy of `model` in which removed channels are silenced by zeroing
 * their input weights in every Conv2D/Dense that reads them. A removed channel only reaches
 * the model through such consumers (the output is never pruned), so this copy computes what
 * the pruned model computes, independently of the surgery's slicing.
 */
export function maskChannels(model: tfl.LayersModel, keep: KeepMap): tfl.LayersModel {
  const graph = buildPruningGraph(model);
  const copy = pruneChannels(model, new Map(), graph);
  const consumers = new Set(graph.nodes.filter((n) => n.consumer).map((n) => n.name));
  for (const b of graph.bindings) {
    if (!consumers.has(b.layer)) continue;
    const layer = copy.getLayer(b.layer);
    const weights = layer.getWeights().slice();
    for (const a of b.axes) {
      if (a.side !== 'in') continue;
      const mask = new Float32Array(layoutWidth(a.layout));
      for (const i of keptLayoutIndices(a.layout, keep)) mask[i] = 1;
      const shape = b.shape.map((d, axis) => (axis === a.axis ? d : 1));
      weights[b.index] = tf.mul(weights[b.index], tf.tensor(mask, shape));
    }
    layer.setWeights(weights);
  }
  return copy;
}
