import { CONFIDENCE_BINS, MAX_JSON_PAYLOAD, MAX_WINDOW_MS, MAX_WINDOW_SAMPLES, U32_MAX } from '../limits';
import { jsonCodec } from '../json-codec';
import { PROTOCOL_VERSION } from '../topics';
import { EPOCH_MS_MAX, ID_RULE, VERSION_RULE } from './field-rules';

const MAX_LATENCY_MS = 3_600_000;

/** `telemetry` (device -> server, QoS 1): measurements over one window of inferences. */
export interface TelemetryWindow {
  v: typeof PROTOCOL_VERSION;
  /** Per-device u32 counter, so the server drops a QoS 1 duplicate. */
  seq: number;
  artifactId: string;
  modelVersion: string;
  /** Window bounds, ms since the epoch; windowStart <= windowEnd, at most one day apart. */
  windowStart: number;
  windowEnd: number;
  /** Inferences run in the window. */
  samples: number;
  /** Inferences whose true label was known; correct <= labelled <= samples. */
  labelled: number;
  correct: number;
  /** Top-1 confidence counts in 10 bins ([0,0.1) ... [0.9,1]); they sum to `samples`. */
  confidenceHistogram: number[];
  latencyMeanMs: number;
  latencyP95Ms: number;
  /** Tensor-arena bytes the interpreter actually used. */
  arenaUsedBytes: number;
}

/** Codec of the `telemetry` channel. */
export const telemetryCodec = jsonCodec<TelemetryWindow>('telemetry', MAX_JSON_PAYLOAD, (f) => {
  const m: TelemetryWindow = {
    v: PROTOCOL_VERSION,
    seq: f.integer('seq', 0, U32_MAX),
    artifactId: f.string('artifactId', ID_RULE),
    modelVersion: f.string('modelVersion', VERSION_RULE),
    windowStart: f.integer('windowStart', 0, EPOCH_MS_MAX),
    windowEnd: f.integer('windowEnd', 0, EPOCH_MS_MAX),
    samples: f.integer('samples', 0, MAX_WINDOW_SAMPLES),
    labelled: f.integer('labelled', 0, MAX_WINDOW_SAMPLES),
    correct: f.integer('correct', 0, MAX_WINDOW_SAMPLES),
    confidenceHistogram: f.integerArray(
      'confidenceHistogram',
      CONFIDENCE_BINS,
      CONFIDENCE_BINS,
      0,
      MAX_WINDOW_SAMPLES,
    ),
    latencyMeanMs: f.number('latencyMeanMs', 0, MAX_LATENCY_MS),
    latencyP95Ms: f.number('latencyP95Ms', 0, MAX_LATENCY_MS),
    arenaUsedBytes: f.integer('arenaUsedBytes', 0, U32_MAX),
  };
  const span = m.windowEnd - m.windowStart;
  f.check(span >= 0 && span <= MAX_WINDOW_MS, 'windowEnd', `be 0-${MAX_WINDOW_MS} ms after "windowStart"`);
  f.check(m.labelled <= m.samples, 'labelled', 'not exceed "samples"');
  f.check(m.correct <= m.labelled, 'correct', 'not exceed "labelled"');
  const binned = m.confidenceHistogram.reduce((a, b) => a + b, 0);
  f.check(binned === m.samples, 'confidenceHistogram', `sum to "samples" (${m.samples}), not ${binned}`);
  return m;
});

/** Parses a `telemetry` payload; throws ProtocolError naming the bad field. */
export function parseTelemetry(payload: Uint8Array): TelemetryWindow {
  return telemetryCodec.parse(payload);
}

/** Encodes a `telemetry` message after validating it. */
export function encodeTelemetry(message: TelemetryWindow): Buffer {
  return telemetryCodec.encode(message);
}

/** The histogram bin of a top-1 confidence in [0, 1] (1 falls in the last bin). */
export function confidenceBin(confidence: number): number {
  if (!(confidence > 0)) return 0; // NaN and negatives land in the lowest bin
  return Math.min(CONFIDENCE_BINS - 1, Math.max(0, Math.floor(confidence * CONFIDENCE_BINS)));
}
