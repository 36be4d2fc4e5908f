import {
  CONFIDENCE_BINS,
  confidenceBin,
  MAX_WINDOW_SAMPLES,
  PROTOCOL_VERSION,
  TelemetryWindow,
} from '@fleetprune/protocol';

/** The model a window measures. */
export interface MeasuredModel {
  artifactId: string;
  modelVersion: string;
  arenaUsedBytes: number;
}

/**
 * Accumulates one telemetry window: counts, top-1 confidence histogram and latencies (kept
 * whole, for an exact p95; a window holds at most MAX_WINDOW_SAMPLES).
 */
export class TelemetryAccumulator {
  private samples = 0;
  private labelled = 0;
  private correct = 0;
  private histogram = new Array<number>(CONFIDENCE_BINS).fill(0);
  private latencies: number[] = [];
  private start: number;

  constructor(now: number) {
    this.start = now;
  }

  /** Records one inference; `label` undefined when the true class is unknown. */
  record(predicted: number, confidence: number, latencyMs: number, label?: number): void {
    this.samples++;
    if (label !== undefined) {
      this.labelled++;
      if (label === predicted) this.correct++;
    }
    this.histogram[confidenceBin(confidence)]++;
    this.latencies.push(latencyMs);
  }

  get count(): number {
    return this.samples;
  }

  /** True when one more sample would exceed the protocol's window limit. */
  get full(): boolean {
    return this.samples >= MAX_WINDOW_SAMPLES;
  }

  /** The window so far as a message, then starts a new window at `now`. */
  close(model: MeasuredModel, seq: number, now: number): TelemetryWindow {
    const sorted = Float64Array.from(this.latencies).sort();
    const mean = sorted.length ? sorted.reduce((a, b) => a + b, 0) / sorted.length : 0;
    // Nearest-rank percentile: the smallest latency with at least 95 % of samples at or below it.
    const p95 = sorted.length ? sorted[Math.ceil(0.95 * sorted.length) - 1] : 0;
    const window: TelemetryWindow = {
      v: PROTOCOL_VERSION,
      seq,
      artifactId: model.artifactId,
      modelVersion: model.modelVersion,
      windowStart: this.start,
      windowEnd: Math.max(this.start, now),
      samples: this.samples,
      labelled: this.labelled,
      correct: this.correct,
      confidenceHistogram: this.histogram,
      latencyMeanMs: round3(mean),
      latencyP95Ms: round3(p95),
      arenaUsedBytes: model.arenaUsedBytes,
    };
    this.reset(now);
    return window;
  }

  /** Drops the window (e.g. when the model changes with nothing measured). */
  reset(now: number): void {
    this.samples = 0;
    this.labelled = 0;
    this.correct = 0;
    this.histogram = new Array<number>(CONFIDENCE_BINS).fill(0);
    this.latencies = [];
    this.start = now;
  }
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
