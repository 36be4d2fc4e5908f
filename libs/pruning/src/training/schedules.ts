/** Cosine decay from `base` to `base * floor` over `total` steps (Loshchilov & Hutter 2017). */
export function cosineLearningRate(step: number, total: number, base: number, floor = 0.1): number {
  const progress = total <= 1 ? 1 : Math.min(1, step / (total - 1));
  return base * (floor + (1 - floor) * 0.5 * (1 + Math.cos(Math.PI * progress)));
}

/** Shape of a regularisation strength over a training phase, as fractions of its length. */
export interface StrengthSchedule {
  /** Linear ramp from 0 at the start. Default 0.2. */
  readonly warmup?: number;
  /** Linear decay to 0 over the end, so fine-tuning sees the unregularised loss. Default 0.3. */
  readonly decay?: number;
}

/** Multiplier in [0, 1] for a regulariser at `step` of `total`: warm-up, constant, decay. */
export function regularizationStrength(step: number, total: number, schedule: StrengthSchedule = {}): number {
  const warmup = schedule.warmup ?? 0.2;
  const decay = schedule.decay ?? 0.3;
  const t = total <= 0 ? 1 : (step + 0.5) / total;
  if (t < warmup) return t / warmup;
  if (t > 1 - decay) return Math.max(0, (1 - t) / decay);
  return 1;
}
