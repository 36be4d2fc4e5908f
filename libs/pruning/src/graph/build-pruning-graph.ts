import type * as tfl from '@tensorflow/tfjs-layers';
import { PruningError } from '../pruning-error';
import { layoutWidth } from './channel-layout';
import { GroupRegistry } from './group-registry';
import { boundAxes, isLastAxis, layerKind, weightRole } from './layer-rules';
import { ChannelLayout, GraphNode, NodeKind, PruningGraph, WeightBinding } from './pruning-graph';

type Layer = tfl.layers.Layer;

/**
 * Channel dependency graph of a Sequential or functional model: which output channels can be
 * removed together (groups) and which weight axes shrink with them (bindings).
 * @example const graph = buildPruningGraph(model); [...graph.groups.values()].filter(g => g.prunable)
 */
export function buildPruningGraph(model: tfl.LayersModel): PruningGraph {
  const order = topologicalLayers(model);
  const registry = new GroupRegistry();
  const layouts = new Map<string, ChannelLayout>();
  const nodes: GraphNode[] = [];
  const bindings: WeightBinding[] = [];

  for (const layer of order) {
    const kind = layerKind(layer);
    const inbound = inboundLayers(layer).map((l) => l.name);
    const inLayouts = inbound.map((name) => layouts.get(name) as ChannelLayout);
    const config = layer.getConfig();
    const outputShape = (layer.outputShape as (number | null)[]).slice(1) as number[];
    const outLayout = outputLayout(layer, kind, inLayouts, outputShape, registry);
    layouts.set(layer.name, outLayout);
    if (config.activation === 'softmax') {
      // Softmax mixes channels, so removing one changes the others: never prune what feeds it.
      for (const l of kind === 'producer' ? [outLayout] : inLayouts) registry.freezeLayout(l);
    }
    layer.weights.forEach((w, index) => {
      const role = weightRole(w.originalName);
      const axes = boundAxes(kind, layer.getClassName(), role, inLayouts[0], outLayout, layer.name);
      bindings.push({ layer: layer.name, index, role, shape: w.shape as number[], axes });
    });
    nodes.push({
      name: layer.name,
      className: layer.getClassName(),
      kind,
      inbound,
      inLayouts,
      outLayout,
      outputShape,
      consumer: kind === 'producer',
      useBias: config.useBias === true,
    });
  }
  const outputs = model.outputs.map((t) => t.sourceLayer.name);
  for (const name of outputs) registry.freezeLayout(layouts.get(name) as ChannelLayout);
  return registry.resolve({
    nodes,
    bindings,
    inputs: model.inputs.map((t) => t.sourceLayer.name),
    outputs,
  });
}

function outputLayout(
  layer: Layer,
  kind: NodeKind,
  inLayouts: ChannelLayout[],
  outputShape: number[],
  registry: GroupRegistry,
): ChannelLayout {
  const config = layer.getConfig();
  const channels = outputShape[outputShape.length - 1];
  const rank = outputShape.length + 1;
  const [first] = inLayouts;
  switch (kind) {
    case 'input':
      return single(registry.create(`input:${layer.name}`, channels, false, null), channels);
    case 'producer':
      if (config.dataFormat !== undefined && config.dataFormat !== 'channelsLast') {
        throw topologyError(layer, 'only channelsLast convolutions are supported');
      }
      if (first.spatial !== 1 && rank > 2) throw topologyError(layer, 'Dense on a flattened rank>2 tensor');
      return single(registry.create(layer.name, channels, true, layer.name), channels);
    case 'depthwise': {
      const multiplier = Number(config.depthMultiplier ?? 1);
      return { spatial: 1, segments: first.segments.map((s) => ({ ...s, repeat: s.repeat * multiplier })) };
    }
    case 'batchnorm':
      if (!isLastAxis(config.axis, rank) || first.spatial !== 1) {
        throw topologyError(layer, 'BatchNormalization must normalise the channel (last) axis');
      }
      return first;
    case 'passthrough':
      return first;
    case 'flatten': {
      // Flatten keeps channels innermost, so the output is `positions` copies of the layout.
      const positions = channels / layoutWidth(first);
      return { spatial: first.spatial * positions, segments: first.segments };
    }
    case 'add':
      for (const other of inLayouts.slice(1)) registry.tie(first, other, layer.name);
      return first;
    case 'concat':
      if (!isLastAxis(config.axis, rank) || inLayouts.some((l) => l.spatial !== 1)) {
        throw topologyError(layer, 'Concatenate must join unflattened tensors on the channel axis');
      }
      return { spatial: 1, segments: inLayouts.flatMap((l) => l.segments) };
  }
}

function single(groupId: string, size: number): ChannelLayout {
  return { spatial: 1, segments: [{ groupId, size, repeat: 1 }] };
}

function topologyError(layer: Layer, what: string): PruningError {
  return new PruningError('UNSUPPORTED_TOPOLOGY', `layer "${layer.name}": ${what}; change the model`);
}

function inboundLayers(layer: Layer): Layer[] {
  if (layer.inboundNodes.length !== 1) {
    throw topologyError(layer, `is called ${layer.inboundNodes.length} times; shared layers`);
  }
  return layer.inboundNodes[0].inboundLayers;
}

/** Layers reachable from the outputs, each after all of its inputs. */
function topologicalLayers(model: tfl.LayersModel): Layer[] {
  const order: Layer[] = [];
  const seen = new Set<Layer>();
  const visit = (layer: Layer): void => {
    if (seen.has(layer)) return;
    seen.add(layer);
    for (const parent of inboundLayers(layer)) visit(parent);
    order.push(layer);
  };
  for (const output of model.outputs) visit(output.sourceLayer as Layer);
  return order;
}
