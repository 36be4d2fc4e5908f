import * as tf from '@tensorflow/tfjs-core';
import { ChannelLayout, PruningGraph } from '../graph/pruning-graph';

/** Per-group gate vectors (ones while training) whose gradients give Taylor scores. */
export type GateMap = ReadonlyMap<string, tf.Tensor1D>;

/**
 * The gate vector for a tensor with `layout`: each group's gate repeated for depthwise
 * multipliers and tiled over flattened positions; null when no group on it is gated.
 */
export function layoutGate(layout: ChannelLayout, gates: GateMap): tf.Tensor1D | null {
  if (!layout.segments.some((s) => gates.has(s.groupId))) return null;
  const parts = layout.segments.map((s) => {
    const gate = gates.get(s.groupId) ?? tf.ones([s.size]);
    return s.repeat === 1 ? gate : tf.reshape(tf.tile(tf.reshape(gate, [s.size, 1]), [1, s.repeat]), [-1]);
  });
  const perPosition = parts.length === 1 ? parts[0] : tf.concat(parts);
  return (layout.spatial === 1 ? perPosition : tf.tile(perPosition, [layout.spatial])) as tf.Tensor1D;
}

/** A trainable gate of ones per prunable group; dispose them after use. */
export function createGates(graph: PruningGraph): Map<string, tf.Variable<tf.Rank.R1>> {
  const gates = new Map<string, tf.Variable<tf.Rank.R1>>();
  for (const g of graph.groups.values()) {
    if (g.prunable)
      gates.set(
        g.id,
        tf.tidy(() => tf.variable(tf.ones([g.size]) as tf.Tensor1D, true)),
      );
  }
  return gates;
}
