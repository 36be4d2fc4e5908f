/** Names of the built-in scorers. */
export const SCORER_NAMES = ['taylor', 'l1', 'random'] as const;
export type ScorerName = (typeof SCORER_NAMES)[number];

/** Per-batch evidence a scorer may use; fields are absent when not computed. */
export interface ScorerObservation {
  /** d loss / d gate per prunable group (sum over positions of activation x gradient). */
  readonly gateGradients?: ReadonlyMap<string, Float32Array>;
  /** Per prunable group, the sum over the batch's samples of |each sample's share of d loss / d gate|. */
  readonly gateSampleMagnitudes?: ReadonlyMap<string, Float32Array>;
}

/**
 * Estimates how much each channel of each prunable group matters; lower = safer to remove.
 * Scores are comparable across groups (see `ScoreNormalization`).
 */
export interface ImportanceScorer {
  readonly name: ScorerName;
  /** True if `observe` needs `gateGradients`, so the training loop must run gated. */
  readonly needsGates: boolean;
  observe(observation: ScorerObservation): void;
  scores(): Map<string, Float32Array>;
}
