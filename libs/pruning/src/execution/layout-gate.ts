import * as tf from '@tensorflow/tfjs-core';
import { ChannelLayout, PruningGraph } from '../graph/pruning-graph';

/**
 * Per-group gates (ones while training) whose gradients give Taylor scores: `[channels]`, or
 * `[batch, channels]` for one gate per sample, whose gradient keeps each sample's share apart.
 */
export type GateMap = ReadonlyMap<string, tf.Tensor>;

/**
 * The gate for a tensor with `layout` along its last axis: each group's gate repeated for
 * depthwise multipliers and tiled over flattened positions; null when no group on it is gated.
 */
export function layoutGate(layout: ChannelLayout, gates: GateMap): tf.Tensor | null {
  if (!layout.segments.some((s) => gates.has(s.groupId))) return null;
  const rows = [...gates.values()].find((g) => g.rank === 2)?.shape[0];
  const lead = rows === undefined ? [] : [rows];
  const parts = layout.segments.map((s) => {
    const gate: tf.Tensor = gates.get(s.groupId) ?? tf.ones([...lead, s.size]);
    if (s.repeat === 1) return gate;
    const repeated = tf.tile(tf.reshape(gate, [...lead, s.size, 1]), [...lead.map(() => 1), 1, s.repeat]);
    return tf.reshape(repeated, [...lead, s.size * s.repeat]);
  });
  const perPosition = parts.length === 1 ? parts[0] : tf.concat(parts, -1);
  return layout.spatial === 1 ? perPosition : tf.tile(perPosition, [...lead.map(() => 1), layout.spatial]);
}

/**
 * A trainable gate of ones per prunable group; with `batchSize`, one row per sample of a batch
 * of that size. Dispose them after use.
 */
export function createGates(graph: PruningGraph, batchSize?: number): Map<string, tf.Variable> {
  const gates = new Map<string, tf.Variable>();
  const lead = batchSize === undefined ? [] : [batchSize];
  for (const g of graph.groups.values()) {
    if (g.prunable)
      gates.set(
        g.id,
        tf.tidy(() => tf.variable(tf.ones([...lead, g.size]), true)),
      );
  }
  return gates;
}
