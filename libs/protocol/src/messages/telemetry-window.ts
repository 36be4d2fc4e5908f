import { CONFIDENCE_BINS, MAX_JSON_PAYLOAD, MAX_WINDOW_MS, MAX_WINDOW_SAMPLES, U32_MAX } from '../limits';
import { JsonCodec, jsonCodec } from '../json-codec';
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

/** The field-by-field reader: the rules, and the error message naming the field that broke one. */
const checkedCodec = jsonCodec<TelemetryWindow>('telemetry', MAX_JSON_PAYLOAD, (f) => {
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

const isInt = (x: unknown, min: number, max: number): x is number =>
  Number.isSafeInteger(x) && (x as number) >= min && (x as number) <= max;
const isNum = (x: unknown, min: number, max: number): x is number =>
  typeof x === 'number' && Number.isFinite(x) && x >= min && x <= max;
// ID_RULE and VERSION_RULE admit ASCII only, so length in characters is length in bytes.
const isToken = (x: unknown, pattern: RegExp): x is string =>
  typeof x === 'string' && x.length >= 1 && x.length <= 64 && pattern.test(x);

/**
 * The same rules as `checkedCodec` as one pass of plain comparisons, or undefined when any
 * fails. A fleet sends thousands of windows a second; the field reader builds its error
 * strings (one per histogram bin) even for a valid window, this builds none.
 */
function quickRead(value: unknown): TelemetryWindow | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const o = value as Record<string, unknown>;
  const h = o.confidenceHistogram;
  if (
    o.v !== PROTOCOL_VERSION ||
    !isInt(o.seq, 0, U32_MAX) ||
    !isToken(o.artifactId, ID_RULE.pattern!) ||
    !isToken(o.modelVersion, VERSION_RULE.pattern!) ||
    !isInt(o.windowStart, 0, EPOCH_MS_MAX) ||
    !isInt(o.windowEnd, 0, EPOCH_MS_MAX) ||
    !isInt(o.samples, 0, MAX_WINDOW_SAMPLES) ||
    !isInt(o.labelled, 0, MAX_WINDOW_SAMPLES) ||
    !isInt(o.correct, 0, MAX_WINDOW_SAMPLES) ||
    !isNum(o.latencyMeanMs, 0, MAX_LATENCY_MS) ||
    !isNum(o.latencyP95Ms, 0, MAX_LATENCY_MS) ||
    !isInt(o.arenaUsedBytes, 0, U32_MAX) ||
    !Array.isArray(h) ||
    h.length !== CONFIDENCE_BINS
  )
    return undefined;
  let binned = 0;
  for (const n of h) {
    if (!isInt(n, 0, MAX_WINDOW_SAMPLES)) return undefined;
    binned += n;
  }
  const span = o.windowEnd - o.windowStart;
  if (span < 0 || span > MAX_WINDOW_MS || o.labelled > o.samples || o.correct > o.labelled) return undefined;
  if (binned !== o.samples) return undefined;
  return {
    v: PROTOCOL_VERSION,
    seq: o.seq,
    artifactId: o.artifactId,
    modelVersion: o.modelVersion,
    windowStart: o.windowStart,
    windowEnd: o.windowEnd,
    samples: o.samples,
    labelled: o.labelled,
    correct: o.correct,
    confidenceHistogram: h as number[],
    latencyMeanMs: o.latencyMeanMs,
    latencyP95Ms: o.latencyP95Ms,
    arenaUsedBytes: o.arenaUsedBytes,
  };
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Codec of the `telemetry` channel. `parse` tries the quick check first (after the size
 * limit, so a hostile payload still costs nothing); anything it does not accept goes through
 * the field reader, which throws the ProtocolError naming the field (or accepts it).
 */
export const telemetryCodec: JsonCodec<TelemetryWindow> = {
  ...checkedCodec,
  parse(payload: Uint8Array): TelemetryWindow {
    if (payload.length <= MAX_JSON_PAYLOAD) {
      let value: unknown;
      try {
        value = JSON.parse(utf8.decode(payload));
      } catch {
        value = undefined; // the checked parse below says which of UTF-8 and JSON failed
      }
      const quick = quickRead(value);
      if (quick) return quick;
    }
    return checkedCodec.parse(payload);
  },
};

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
