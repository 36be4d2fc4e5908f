import { PruningGraph } from '../graph/pruning-graph';
import { ImportanceScorer, ScorerObservation } from './importance-scorer';
import { normalizeScores, ScoreNormalization } from './score-normalization';

/**
 * What one batch contributes to a channel's score:
 * - `batch` (default): |d loss / d gate| of the whole batch. Near a trained optimum the samples'
 *   signed shares mostly cancel, so each batch yields one noisy magnitude per channel.
 * - `per-sample`: the sum of every sample's |share| (Molchanov et al. 2017 take the absolute
 *   value per example too): a related quantity with one reading per sample, so a far steadier
 *   ranking; on the benchmark it pruned no better (docs/pruning.md).
 */
export const TAYLOR_ESTIMATES = ['batch', 'per-sample'] as const;
export type TaylorEstimate = (typeof TAYLOR_ESTIMATES)[number];

/** Options of `TaylorScorer`. */
export interface TaylorScorerOptions {
  /** Default 'batch'. */
  readonly estimate?: TaylorEstimate;
  /** Weight of the running average in the EMA over mini-batches. Default 0.9. */
  readonly momentum?: number;
  readonly normalization?: ScoreNormalization;
}

/**
 * First-order Taylor estimate of the loss change if a channel were removed:
 * |sum over positions of activation x dLoss/dactivation|, read as the gradient of the loss
 * w.r.t. a gate of ones on the channel, averaged over mini-batches with an EMA.
 */
export class TaylorScorer implements ImportanceScorer {
  readonly name = 'taylor';
  readonly needsGates = true;
  private readonly ema = new Map<string, Float32Array>();
  private readonly momentum: number;
  private readonly normalization: ScoreNormalization;
  private readonly estimate: TaylorEstimate;

  constructor(
    private readonly graph: PruningGraph,
    options: TaylorScorerOptions = {},
  ) {
    this.momentum = options.momentum ?? 0.9;
    this.normalization = options.normalization ?? 'l2-cost';
    this.estimate = options.estimate ?? 'batch';
  }

  observe(observation: ScorerObservation): void {
    const evidence = this.estimate === 'batch' ? observation.gateGradients : observation.gateSampleMagnitudes;
    for (const [groupId, gradient] of evidence ?? []) {
      const previous = this.ema.get(groupId);
      const current = gradient.map(Math.abs);
      if (previous) {
        for (let c = 0; c < current.length; c++) {
          current[c] = this.momentum * previous[c] + (1 - this.momentum) * current[c];
        }
      }
      this.ema.set(groupId, current);
    }
  }

  /** Normalised scores; empty until the first observation. */
  scores(): Map<string, Float32Array> {
    return normalizeScores(this.ema, this.normalization, this.graph);
  }
}
