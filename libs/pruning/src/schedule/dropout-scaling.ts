import type * as tfl from '@tensorflow/tfjs-layers';
import { keptLayoutIndices } from '../graph/channel-layout';
import { GraphNode, KeepMap, PruningGraph } from '../graph/pruning-graph';

const WEIGHTED = new Set(['producer', 'depthwise']);
const SEE_THROUGH = new Set(['passthrough', 'batchnorm', 'flatten']);

/**
 * Dropout rates for the model that `keep` cuts from `graph`, rescaled the way Han et al. (2015)
 * retrain pruned networks: the original rate times the square root of the surviving share of
 * the weights of the layer feeding the dropout. A thinned layer has less capacity to spare, so
 * it is dropped out less. Dropouts with no single weighted layer before them keep their rate.
 */
export function scaledDropoutRates(
  original: tfl.LayersModel,
  originalGraph: PruningGraph,
  graph: PruningGraph,
  keep: KeepMap,
): Map<string, number> {
  const rates = new Map<string, number>();
  const nodes = new Map(graph.nodes.map((n) => [n.name, n]));
  for (const node of graph.nodes) {
    if (node.className !== 'Dropout') continue;
    const feeder = weightedFeeder(node, nodes);
    if (!feeder) continue;
    const before = kernelSize(originalGraph, feeder.name, new Map());
    const after = kernelSize(graph, feeder.name, keep);
    const rate = Number(original.getLayer(node.name).getConfig().rate);
    if (before > 0 && after > 0 && rate > 0) rates.set(node.name, rate * Math.sqrt(after / before));
  }
  return rates;
}

function weightedFeeder(node: GraphNode, nodes: ReadonlyMap<string, GraphNode>): GraphNode | undefined {
  let current: GraphNode | undefined = node;
  while (current && current.inbound.length === 1) {
    const previous = nodes.get(current.inbound[0]);
    if (!previous || WEIGHTED.has(previous.kind)) return previous;
    if (!SEE_THROUGH.has(previous.kind)) return undefined;
    current = previous;
  }
  return undefined;
}

/** Entries of a layer's kernel once the channels outside `keep` are gone. */
function kernelSize(graph: PruningGraph, layer: string, keep: KeepMap): number {
  const kernel = graph.bindings.find((b) => b.layer === layer && b.role.endsWith('kernel'));
  if (!kernel) return 0;
  const shape = [...kernel.shape];
  for (const axis of kernel.axes) shape[axis.axis] = keptLayoutIndices(axis.layout, keep).length;
  return shape.reduce((product, d) => product * d, 1);
}
