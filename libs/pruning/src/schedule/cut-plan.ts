import { costForWidths } from '../cost/model-cost';
import { KeepMap, PruningGraph } from '../graph/pruning-graph';

/** Limits of one pruning round. */
export interface CutLimits {
  /** Most channels to remove this round. */
  readonly maxCut: number;
  /** Stop as soon as deployed params are at or below this (absolute count). */
  readonly targetParams?: number;
  /** Channels every group keeps. Default 1. */
  readonly minChannels?: number;
  /**
   * Divide each channel's score by the params its removal saves at the moment it is removed,
   * re-measured after every removal (scores should then carry no cost of their own).
   */
  readonly marginalCost?: boolean;
}

/**
 * Removes the lowest-scored channels across all prunable groups, one at a time, until a limit
 * is hit; returns the keep map (only groups that lost channels). Channels without a score
 * (never observed) are kept. Ties break by group id then channel, for determinism.
 */
export function planCut(
  graph: PruningGraph,
  scores: ReadonlyMap<string, Float32Array>,
  limits: CutLimits,
): KeepMap {
  if (limits.marginalCost) return planMarginalCut(graph, scores, limits);
  const minChannels = limits.minChannels ?? 1;
  const ranked: { groupId: string; channel: number; score: number }[] = [];
  for (const [groupId, values] of scores) {
    if (!graph.groups.get(groupId)?.prunable) continue;
    values.forEach((score, channel) => ranked.push({ groupId, channel, score }));
  }
  ranked.sort((a, b) => a.score - b.score || a.groupId.localeCompare(b.groupId) || a.channel - b.channel);
  const widths = new Map([...graph.groups.values()].map((g) => [g.id, g.size]));
  const removed = new Map<string, Set<number>>();
  let cut = 0;
  const reached = (): boolean =>
    limits.targetParams !== undefined && costForWidths(graph, widths).params <= limits.targetParams;
  for (const entry of ranked) {
    if (cut >= limits.maxCut || reached()) break;
    const width = widths.get(entry.groupId) as number;
    if (width <= minChannels) continue;
    widths.set(entry.groupId, width - 1);
    if (!removed.has(entry.groupId)) removed.set(entry.groupId, new Set());
    removed.get(entry.groupId)?.add(entry.channel);
    cut++;
  }
  return keepMap(graph, removed);
}

/**
 * planCut with costs that follow the cut: a conv channel feeding a Flatten->Dense block holds
 * fewer params once that Dense has thinned, so a cost fixed before a deep cut overcharges it
 * and empties the layer. Each step removes the cheapest next channel of any group, where a
 * channel's price is its score over what removing it saves now.
 */
function planMarginalCut(
  graph: PruningGraph,
  scores: ReadonlyMap<string, Float32Array>,
  limits: CutLimits,
): KeepMap {
  const minChannels = limits.minChannels ?? 1;
  const queues = new Map<string, { channel: number; score: number }[]>();
  // Sorted ids so ties in price go to the same group every run.
  for (const [groupId, values] of [...scores].sort(([a], [b]) => a.localeCompare(b))) {
    if (!graph.groups.get(groupId)?.prunable) continue;
    const queue = Array.from(values, (score, channel) => ({ channel, score }));
    queues.set(
      groupId,
      queue.sort((a, b) => a.score - b.score || a.channel - b.channel),
    );
  }
  const widths = new Map([...graph.groups.values()].map((g) => [g.id, g.size]));
  const removed = new Map<string, Set<number>>();
  const taken = (groupId: string) => removed.get(groupId)?.size ?? 0;
  for (let cut = 0; cut < limits.maxCut; cut++) {
    const params = costForWidths(graph, widths).params;
    if (limits.targetParams !== undefined && params <= limits.targetParams) break;
    let best: { groupId: string; channel: number; price: number } | undefined;
    for (const [groupId, queue] of queues) {
      const width = widths.get(groupId) as number;
      const next = queue[taken(groupId)];
      if (width <= minChannels || !next) continue;
      const saved = params - costForWidths(graph, new Map(widths).set(groupId, width - 1)).params;
      const price = next.score / Math.max(1, saved);
      if (!best || price < best.price) best = { groupId, channel: next.channel, price };
    }
    if (!best) break;
    widths.set(best.groupId, (widths.get(best.groupId) as number) - 1);
    if (!removed.has(best.groupId)) removed.set(best.groupId, new Set());
    removed.get(best.groupId)?.add(best.channel);
  }
  return keepMap(graph, removed);
}

function keepMap(graph: PruningGraph, removed: ReadonlyMap<string, ReadonlySet<number>>): KeepMap {
  const keep = new Map<string, number[]>();
  for (const [groupId, gone] of removed) {
    const size = graph.groups.get(groupId)?.size as number;
    keep.set(
      groupId,
      Array.from({ length: size }, (_, c) => c).filter((c) => !gone.has(c)),
    );
  }
  return keep;
}
