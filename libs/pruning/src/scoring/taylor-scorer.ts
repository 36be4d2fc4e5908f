import { PruningGraph } from '../graph/pruning-graph';
import { ImportanceScorer, ScorerObservation } from './importance-scorer';
import { normalizeScores, ScoreNormalization } from './score-normalization';

/** Options of `TaylorScorer`. */
export interface TaylorScorerOptions {
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

  constructor(
    private readonly graph: PruningGraph,
    options: TaylorScorerOptions = {},
  ) {
    this.momentum = options.momentum ?? 0.9;
    this.normalization = options.normalization ?? 'l2-cost';
  }

  observe(observation: ScorerObservation): void {
    for (const [groupId, gradient] of observation.gateGradients ?? []) {
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
