import type * as tfl from '@tensorflow/tfjs-layers';
import { buildPruningGraph } from '../graph/build-pruning-graph';
import { layoutWidthFor } from '../graph/channel-layout';
import { GraphNode, PruningGraph, WeightBinding } from '../graph/pruning-graph';

/** Deployed size of a model: parameters and multiply-accumulates per example. */
export interface ModelCost {
  readonly params: number;
  readonly macs: number;
}

/**
 * Cost of the graph's model if each group kept `widths.get(id)` channels (default: all), with
 * BatchNorm folded into the Conv2D/Dense/DepthwiseConv2D before it, as a TFLite export does.
 * A BatchNorm that cannot fold (after a pool, Add, ...) counts 2 params per channel (scale and
 * shift). MACs count only Conv2D, DepthwiseConv2D and Dense; moving statistics are not params.
 */
export function costForWidths(graph: PruningGraph, widths: ReadonlyMap<string, number>): ModelCost {
  const bindingsOf = new Map<string, WeightBinding[]>();
  for (const b of graph.bindings) bindingsOf.set(b.layer, [...(bindingsOf.get(b.layer) ?? []), b]);
  const folded = foldedBatchNorms(graph);
  let params = 0;
  let macs = 0;
  for (const node of graph.nodes) {
    const bindings = bindingsOf.get(node.name) ?? [];
    if (node.kind === 'batchnorm') {
      if (!folded.has(node.name)) params += 2 * layoutWidthFor(node.outLayout, widths);
      continue;
    }
    if (node.kind !== 'producer' && node.kind !== 'depthwise') continue;
    for (const b of bindings) {
      const size = numel(b, widths);
      params += size;
      if (b.role !== 'bias') macs += size * positions(node);
    }
    if (!node.useBias && [...folded.values()].includes(node.name)) {
      params += layoutWidthFor(node.outLayout, widths);
    }
  }
  return { params, macs };
}

/** Parameters of `model` as deployed (BatchNorm folded); see `costForWidths`. */
export function countParams(model: tfl.LayersModel, graph: PruningGraph = buildPruningGraph(model)): number {
  return costForWidths(graph, new Map()).params;
}

/** Multiply-accumulates per example of `model` (Conv2D, DepthwiseConv2D, Dense). */
export function countMacs(model: tfl.LayersModel, graph: PruningGraph = buildPruningGraph(model)): number {
  return costForWidths(graph, new Map()).macs;
}

/** Current width of every group. */
export function groupWidths(graph: PruningGraph): Map<string, number> {
  return new Map([...graph.groups.values()].map((g) => [g.id, g.size]));
}

/** BatchNorm name -> the layer it folds into (sole consumer of a conv/dense/depthwise output). */
function foldedBatchNorms(graph: PruningGraph): Map<string, string> {
  const consumers = new Map<string, number>();
  for (const n of graph.nodes) for (const i of n.inbound) consumers.set(i, (consumers.get(i) ?? 0) + 1);
  const byName = new Map(graph.nodes.map((n) => [n.name, n]));
  const folded = new Map<string, string>();
  for (const n of graph.nodes) {
    if (n.kind !== 'batchnorm') continue;
    const source = byName.get(n.inbound[0]) as GraphNode;
    if ((source.kind === 'producer' || source.kind === 'depthwise') && consumers.get(source.name) === 1) {
      folded.set(n.name, source.name);
    }
  }
  return folded;
}

function numel(binding: WeightBinding, widths: ReadonlyMap<string, number>): number {
  const shape = [...binding.shape];
  for (const a of binding.axes) shape[a.axis] = layoutWidthFor(a.layout, widths);
  return shape.reduce((x, y) => x * y, 1);
}

/** Output positions a kernel is applied at (H*W for convs, 1 for Dense on a vector). */
function positions(node: GraphNode): number {
  return node.outputShape.slice(0, -1).reduce((x, y) => x * y, 1);
}
