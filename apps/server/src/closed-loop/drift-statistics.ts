/**
 * Confidence bounds for accuracies measured in the field. Field accuracy is a proportion
 * over a finite number of labelled samples; deciding on the raw proportion would let noise
 * trigger re-pruning or promote a canary by luck, so every decision uses these bounds.
 */

/** Two-sided interval of a proportion. */
export interface Interval {
  lower: number;
  upper: number;
}

/**
 * The standard normal quantile (inverse CDF) for p in (0, 1), by Acklam's rational
 * approximation (relative error below 1.2e-9, far below what a decision needs).
 */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`normalQuantile needs 0 < p < 1, got ${p}`);
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716,
    2.506628277459239,
  ];
  const b = [
    -54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572,
  ];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (
      (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
      ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
    );
  }
  if (p > 1 - low) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) /
    (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
  );
}

/**
 * Wilson score interval of `successes` out of `n` whose each side holds with probability
 * `confidence` (a one-sided bound at that level). Wilson rather than the normal
 * approximation because it stays inside [0, 1] and is honest for accuracies near 0 or 1.
 */
export function wilsonInterval(successes: number, n: number, confidence: number): Interval {
  if (!(n >= 0) || !(successes >= 0) || successes > n)
    throw new RangeError(`wilsonInterval needs 0 <= successes <= n, got ${successes} of ${n}`);
  if (n === 0) return { lower: 0, upper: 1 };
  const z = normalQuantile(confidence);
  const p = successes / n;
  const z2n = (z * z) / n;
  const centre = (p + z2n / 2) / (1 + z2n);
  const half = (z / (1 + z2n)) * Math.sqrt((p * (1 - p)) / n + z2n / (4 * n));
  return { lower: Math.max(0, centre - half), upper: Math.min(1, centre + half) };
}

/**
 * Interval of the difference p1 - p2 of two independent proportions by Newcombe's hybrid
 * score method (built from the two Wilson intervals), each side at `confidence`.
 */
export function newcombeDifference(
  successes1: number,
  n1: number,
  successes2: number,
  n2: number,
  confidence: number,
): Interval {
  const p1 = n1 > 0 ? successes1 / n1 : 0;
  const p2 = n2 > 0 ? successes2 / n2 : 0;
  const w1 = wilsonInterval(successes1, n1, confidence);
  const w2 = wilsonInterval(successes2, n2, confidence);
  const d = p1 - p2;
  return {
    lower: d - Math.sqrt((p1 - w1.lower) ** 2 + (w2.upper - p2) ** 2),
    upper: d + Math.sqrt((w1.upper - p1) ** 2 + (p2 - w2.lower) ** 2),
  };
}
