import { costForWidths, groupWidths } from '../cost/model-cost';
import { PruningGraph } from '../graph/pruning-graph';

/**
 * How raw per-channel scores are made comparable across groups:
 * - `layer-l2` (default): divide each group's scores by their L2 norm (Molchanov et al. 2017).
 *   Raw Taylor scores differ by orders of magnitude between layers (deep layers see smaller
 *   gradients), which would empty whole layers; after this rescaling every group's vector has
 *   norm 1, so a wide group's average channel scores lower (1/sqrt(n)) and wide layers, which
 *   also hold most parameters, give up more channels.
 * - `cost`: divide by the parameters one channel of the group costs (impact per parameter
 *   saved), the greedy answer to a parameter budget; it can over-prune heavy Flatten->Dense
 *   groups, so it is opt-in.
 * - `none`: raw scores.
 */
export type ScoreNormalization = 'layer-l2' | 'cost' | 'none';

/** Applies `mode` to raw scores; inputs are not modified. */
export function normalizeScores(
  raw: ReadonlyMap<string, Float32Array>,
  mode: ScoreNormalization,
  graph: PruningGraph,
): Map<string, Float32Array> {
  const result = new Map<string, Float32Array>();
  const full = mode === 'cost' ? costForWidths(graph, new Map()).params : 0;
  for (const [groupId, scores] of raw) {
    let divisor = 1;
    if (mode === 'layer-l2') {
      divisor = Math.sqrt(scores.reduce((sum, s) => sum + s * s, 0)) || 1;
    } else if (mode === 'cost') {
      const widths = groupWidths(graph);
      widths.set(groupId, scores.length - 1);
      divisor = Math.max(1, full - costForWidths(graph, widths).params);
    }
    result.set(
      groupId,
      scores.map((s) => s / divisor),
    );
  }
  return result;
}
