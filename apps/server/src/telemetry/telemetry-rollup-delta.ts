import { CONFIDENCE_BINS } from '@fleetprune/protocol';
import { bucketStart } from './telemetry-bucket';

/** The part of a stored window a rollup needs (as inserted, after de-duplication). */
export interface RollupInput {
  deviceId: string;
  artifactId: string;
  modelVersion: string;
  /** The device's profile when the window arrived. */
  profile: string;
  receivedAt: number;
  samples: number;
  labelled: number;
  correct: number;
  latencyMeanMs: number;
  latencyP95Ms: number;
  arenaUsedBytes: number;
  confidenceHistogram: number[];
}

/** What one batch adds to one rollup row: sums, except the two maxima. */
export interface RollupDelta {
  bucketStart: number;
  deviceId: string;
  artifactId: string;
  profile: string;
  modelVersion: string;
  windows: number;
  samples: number;
  labelled: number;
  correct: number;
  /** Sum of latencyMeanMs x samples, so means of merged rows stay sample-weighted. */
  latencySumMs: number;
  latencyP95MaxMs: number;
  arenaMaxBytes: number;
  confidenceHistogram: number[];
}

/** The unique key of a rollup row. */
export function rollupKey(d: Pick<RollupDelta, 'bucketStart' | 'deviceId' | 'artifactId'>): string {
  return `${d.bucketStart}\n${d.deviceId}\n${d.artifactId}`;
}

/** Adds `b` into `a` (the same merge the database upsert performs). */
export function mergeDelta(a: RollupDelta, b: RollupDelta): RollupDelta {
  return {
    ...a,
    // The latest window names the profile: a device moved to another profile mid-bucket
    // counts under the new one, as the upsert does.
    profile: b.profile,
    modelVersion: b.modelVersion,
    windows: a.windows + b.windows,
    samples: a.samples + b.samples,
    labelled: a.labelled + b.labelled,
    correct: a.correct + b.correct,
    latencySumMs: a.latencySumMs + b.latencySumMs,
    latencyP95MaxMs: Math.max(a.latencyP95MaxMs, b.latencyP95MaxMs),
    arenaMaxBytes: Math.max(a.arenaMaxBytes, b.arenaMaxBytes),
    confidenceHistogram: a.confidenceHistogram.map((n, i) => n + (b.confidenceHistogram[i] ?? 0)),
  };
}

/** One window as a delta of its bucket's row. */
export function windowDelta(w: RollupInput, bucketMs: number): RollupDelta {
  return {
    bucketStart: bucketStart(w.receivedAt, bucketMs),
    deviceId: w.deviceId,
    artifactId: w.artifactId,
    profile: w.profile,
    modelVersion: w.modelVersion,
    windows: 1,
    samples: w.samples,
    labelled: w.labelled,
    correct: w.correct,
    latencySumMs: w.latencyMeanMs * w.samples,
    latencyP95MaxMs: w.latencyP95Ms,
    arenaMaxBytes: w.arenaUsedBytes,
    confidenceHistogram: Array.from({ length: CONFIDENCE_BINS }, (_, i) => w.confidenceHistogram[i] ?? 0),
  };
}

/** Adds `b` into `a` in place: mergeDelta without copying (the batch path's hot loop). */
function addInto(a: RollupDelta, b: RollupDelta): void {
  a.profile = b.profile;
  a.modelVersion = b.modelVersion;
  a.windows += b.windows;
  a.samples += b.samples;
  a.labelled += b.labelled;
  a.correct += b.correct;
  a.latencySumMs += b.latencySumMs;
  a.latencyP95MaxMs = Math.max(a.latencyP95MaxMs, b.latencyP95MaxMs);
  a.arenaMaxBytes = Math.max(a.arenaMaxBytes, b.arenaMaxBytes);
  for (let i = 0; i < a.confidenceHistogram.length; i++)
    a.confidenceHistogram[i] += b.confidenceHistogram[i] ?? 0;
}

/**
 * Aggregates a batch of windows into one delta per (bucket, device, artifact), in arrival
 * order, so the batch costs one upserted row per key (and PostgreSQL's ON CONFLICT never sees
 * the same key twice in one statement, which it refuses). Equal to folding mergeDelta.
 */
export function aggregateWindows(windows: readonly RollupInput[], bucketMs: number): RollupDelta[] {
  const byKey = new Map<string, RollupDelta>();
  for (const w of windows) {
    const delta = windowDelta(w, bucketMs);
    const key = rollupKey(delta);
    const seen = byKey.get(key);
    if (seen) addInto(seen, delta);
    else byKey.set(key, delta);
  }
  return [...byKey.values()];
}
