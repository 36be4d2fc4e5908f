import { costForWidths, groupWidths } from '../cost/model-cost';
import { PruningGraph } from '../graph/pruning-graph';

/**
 * How raw per-channel scores are made comparable across groups:
 * - `layer-l2`: divide each group's scores by their L2 norm (Molchanov et al. 2017). Raw
 *   Taylor scores differ by orders of magnitude between layers (deep layers see smaller
 *   gradients), which would empty whole layers; after this rescaling every group's vector has
 *   norm 1, so a wide group's average channel scores lower (1/sqrt(n)).
 * - `l2-cost` (default): `layer-l2`, then divided by the parameters one channel of the group
 *   costs. A parameter budget is a knapsack, so channels that hold many parameters should go
 *   first, while the per-group norm keeps any layer's raw scale from emptying it.
 * - `l2-sqrt-cost`: `layer-l2`, then divided by the square root of that cost: halfway, on a log
 *   scale, between ignoring what a channel holds and charging all of it.
 * - `cost`: raw scores divided by the channel's cost (impact per parameter saved); it can
 *   cut a layer that raw scores undervalue down to a bottleneck.
 * - `none`: raw scores.
 */
export type ScoreNormalization = 'layer-l2' | 'l2-cost' | 'l2-sqrt-cost' | 'cost' | 'none';

// Every mode listed, so a new one must say whether it divides by the group norm and how it
// charges a channel's cost.
const MODES: Record<ScoreNormalization, { byNorm: boolean; charge?: (cost: number) => number }> = {
  'layer-l2': { byNorm: true },
  'l2-cost': { byNorm: true, charge: (cost) => cost },
  'l2-sqrt-cost': { byNorm: true, charge: Math.sqrt },
  cost: { byNorm: false, charge: (cost) => cost },
  none: { byNorm: false },
};

/** Every `ScoreNormalization`, for option checks and help texts. */
export const SCORE_NORMALIZATIONS = Object.keys(MODES) as readonly ScoreNormalization[];

/** Applies `mode` to raw scores; inputs are not modified. */
export function normalizeScores(
  raw: ReadonlyMap<string, Float32Array>,
  mode: ScoreNormalization,
  graph: PruningGraph,
): Map<string, Float32Array> {
  const { byNorm, charge } = MODES[mode];
  const costs = charge ? channelCosts(raw, graph) : undefined;
  const result = new Map<string, Float32Array>();
  for (const [groupId, scores] of raw) {
    let divisor = byNorm ? Math.sqrt(scores.reduce((sum, s) => sum + s * s, 0)) || 1 : 1;
    if (charge && costs) divisor *= charge(costs.get(groupId) as number);
    result.set(
      groupId,
      scores.map((s) => s / divisor),
    );
  }
  return result;
}

/** Deployed params that removing one channel of each scored group saves (at least 1). */
function channelCosts(raw: ReadonlyMap<string, Float32Array>, graph: PruningGraph): Map<string, number> {
  const full = costForWidths(graph, new Map()).params;
  const current = groupWidths(graph);
  const costs = new Map<string, number>();
  for (const [groupId, scores] of raw) {
    const oneFewer = new Map(current).set(groupId, scores.length - 1);
    costs.set(groupId, Math.max(1, full - costForWidths(graph, oneFewer).params));
  }
  return costs;
}
