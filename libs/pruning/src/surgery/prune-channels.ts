import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { buildPruningGraph } from '../graph/build-pruning-graph';
import { keptLayoutIndices, layoutWidth } from '../graph/channel-layout';
import { KeepMap, PruningGraph, WeightBinding } from '../graph/pruning-graph';
import { validateKeep } from './validate-keep';

interface LayerConfigEntry {
  className: string;
  config: { name: string; filters?: number; units?: number };
}

/**
 * A new, physically smaller model with only the kept channels; surviving weights are copied
 * exactly. The input model is left untouched (dispose it yourself if no longer needed).
 * @example pruneChannels(model, new Map([['conv2d_1', [0, 2, 5]]]))
 */
export function pruneChannels(
  model: tfl.LayersModel,
  keep: KeepMap,
  graph: PruningGraph = buildPruningGraph(model),
): tfl.LayersModel {
  validateKeep(graph, keep);
  const config = JSON.parse(JSON.stringify(model.getConfig())) as tf.serialization.ConfigDict;
  const entries = config.layers as unknown as LayerConfigEntry[];
  const byName = new Map(entries.map((e) => [e.config.name, e]));
  for (const node of graph.nodes) {
    if (node.kind !== 'producer') continue;
    const width = keptLayoutIndices(node.outLayout, keep).length;
    const entry = byName.get(node.name) as LayerConfigEntry;
    if (node.className === 'Conv2D') entry.config.filters = width;
    else entry.config.units = width;
  }
  // fastWeightInit: every weight is overwritten below, so skip the random initialisers.
  const pruned =
    model instanceof tfl.Sequential
      ? tfl.Sequential.fromConfig<tfl.Sequential>(tfl.Sequential, config, {}, true)
      : tfl.LayersModel.fromConfig<tfl.LayersModel>(tfl.LayersModel, config, {}, true);
  copyWeights(model, pruned, graph, keep);
  return pruned;
}

function copyWeights(
  source: tfl.LayersModel,
  target: tfl.LayersModel,
  graph: PruningGraph,
  keep: KeepMap,
): void {
  const byLayer = new Map<string, WeightBinding[]>();
  for (const b of graph.bindings) byLayer.set(b.layer, [...(byLayer.get(b.layer) ?? []), b]);
  for (const [layerName, bindings] of byLayer) {
    const weights = source.getLayer(layerName).getWeights();
    const sliced = bindings.map((b) => sliceWeight(weights[b.index], b, keep));
    target.getLayer(layerName).setWeights(sliced);
    tf.dispose(sliced);
  }
}

/** Gathers the kept entries along every bound axis of one weight. */
export function sliceWeight(weight: tf.Tensor, binding: WeightBinding, keep: KeepMap): tf.Tensor {
  return tf.tidy(() => {
    let result = weight.clone();
    for (const axis of binding.axes) {
      const indices = keptLayoutIndices(axis.layout, keep);
      if (indices.length === layoutWidth(axis.layout)) continue;
      result = tf.gather(result, tf.tensor1d(indices, 'int32'), axis.axis);
    }
    // The wasm Gather kernel returns a reshape of a rank-4 buffer, and wasm's fused conv/matmul
    // kernels check the buffer's rank, so a gathered bias fails there: copy into a fresh buffer.
    return tf.tensor(result.dataSync(), result.shape, result.dtype);
  });
}
