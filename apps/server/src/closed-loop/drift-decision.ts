import { newcombeDifference, wilsonInterval } from './drift-statistics';

/** Labelled-sample counts of one model over one period of field telemetry. */
export interface AccuracyCounts {
  labelled: number;
  correct: number;
}

/** The rule of a drift policy (see DriftPolicy for the stored form). */
export interface DriftRule {
  targetAccuracy: number;
  minSamples: number;
  /** Probability that "below target" is not noise, e.g. 0.95. */
  confidence: number;
}

/** What the drift check saw; stored as the evidence of its event. */
export interface DriftEvidence extends AccuracyCounts {
  accuracy: number | null;
  /** One-sided Wilson upper bound of the accuracy at the rule's confidence. */
  upperBound: number;
  targetAccuracy: number;
  confidence: number;
  minSamples: number;
}

/**
 * Drift is declared only when the accuracy is confidently below target: the one-sided upper
 * bound is under it, with at least `minSamples` labelled samples.
 */
export function decideDrift(
  counts: AccuracyCounts,
  rule: DriftRule,
): { drifted: boolean; evidence: DriftEvidence } {
  const { upper } = wilsonInterval(counts.correct, counts.labelled, rule.confidence);
  const evidence: DriftEvidence = {
    labelled: counts.labelled,
    correct: counts.correct,
    accuracy: counts.labelled > 0 ? counts.correct / counts.labelled : null,
    upperBound: upper,
    targetAccuracy: rule.targetAccuracy,
    confidence: rule.confidence,
    minSamples: rule.minSamples,
  };
  return { drifted: counts.labelled >= rule.minSamples && upper < rule.targetAccuracy, evidence };
}

/** How a canary is judged against the model it would replace. */
export interface CanaryRule {
  minSamples: number;
  confidence: number;
  /** Non-inferiority margin: the canary may be at most this much less accurate. */
  margin: number;
}

/** What the canary check compared; stored as the evidence of promote / rollback events. */
export interface CanaryEvidence {
  candidate: AccuracyCounts & { accuracy: number | null };
  incumbent: AccuracyCounts & { accuracy: number | null };
  /** Interval of candidate minus incumbent accuracy, each side at the rule's confidence. */
  difference: { lower: number; upper: number };
  margin: number;
  confidence: number;
  minSamples: number;
}

export type CanaryVerdict = 'promote' | 'rollback' | 'wait';

/**
 * Promote when the candidate is confidently not worse than the incumbent by more than the
 * margin; roll back when it is confidently worse; otherwise wait for more samples.
 */
export function decideCanary(
  candidate: AccuracyCounts,
  incumbent: AccuracyCounts,
  rule: CanaryRule,
): { verdict: CanaryVerdict; evidence: CanaryEvidence } {
  const difference = newcombeDifference(
    candidate.correct,
    candidate.labelled,
    incumbent.correct,
    incumbent.labelled,
    rule.confidence,
  );
  const evidence: CanaryEvidence = {
    candidate: { ...candidate, accuracy: ratio(candidate) },
    incumbent: { ...incumbent, accuracy: ratio(incumbent) },
    difference,
    margin: rule.margin,
    confidence: rule.confidence,
    minSamples: rule.minSamples,
  };
  const enough = candidate.labelled >= rule.minSamples && incumbent.labelled >= rule.minSamples;
  if (!enough) return { verdict: 'wait', evidence };
  if (difference.lower > -rule.margin) return { verdict: 'promote', evidence };
  if (difference.upper < 0) return { verdict: 'rollback', evidence };
  return { verdict: 'wait', evidence };
}

function ratio(c: AccuracyCounts): number | null {
  return c.labelled > 0 ? c.correct / c.labelled : null;
}

/** A fraction as a percentage, for event messages. */
export function pct(value: number | null): string {
  return value === null ? 'n/a' : `${(value * 100).toFixed(1)}%`;
}
