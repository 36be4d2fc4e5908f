// The two statements of a telemetry batch (raw insert, rollup upsert), for SQLite and PostgreSQL.
import type { TelemetryWindow } from '@fleetprune/protocol';
import { CONFIDENCE_COLUMNS } from './telemetry-rollup.entity';
import type { RollupDelta } from './telemetry-rollup-delta';

/** Which SQL the batch speaks. */
export type BatchDialect = 'sqlite' | 'postgres';

/** A statement and its bound parameters. */
export interface BatchStatement {
  sql: string;
  params: unknown[];
}

/** The raw row of one window: the message's fields, whose device sent it, and when it arrived. */
export type RawWindowRow = Omit<TelemetryWindow, 'v'> & { deviceId: string; receivedAt: number };

const RAW_COLUMNS = [
  'device_id',
  'seq',
  'artifact_id',
  'model_version',
  'window_start',
  'window_end',
  'samples',
  'labelled',
  'correct',
  'confidence_histogram',
  'latency_mean_ms',
  'latency_p95_ms',
  'arena_used_bytes',
  'received_at',
];
const SUMMED = ['windows', 'samples', 'labelled', 'correct', 'latency_sum_ms', ...CONFIDENCE_COLUMNS];
const MAXED = ['latency_p95_max_ms', 'arena_max_bytes'];
const ROLLUP_COLUMNS = [
  'bucket_start',
  'device_id',
  'artifact_id',
  'profile',
  'model_version',
  ...SUMMED,
  ...MAXED,
];

// TypeORM's SQLite runner executes statements starting with "INSERT " without returning rows;
// a leading comment sends this one down the path that returns RETURNING's rows.
const RETURNING_PREFIX = '/* telemetry batch */ ';

/**
 * `INSERT … ON CONFLICT (device_id, seq) DO NOTHING RETURNING device_id, seq` of the windows.
 */
export function rawInsertStatement(dialect: BatchDialect, windows: readonly RawWindowRow[]): BatchStatement {
  const rows = windows.map((w) => [
    w.deviceId,
    w.seq,
    w.artifactId,
    w.modelVersion,
    w.windowStart,
    w.windowEnd,
    w.samples,
    w.labelled,
    w.correct,
    JSON.stringify(w.confidenceHistogram),
    w.latencyMeanMs,
    w.latencyP95Ms,
    w.arenaUsedBytes,
    w.receivedAt,
  ]);
  const { source, params } = rowSource(dialect, rows, RAW_COLUMNS.length);
  return {
    sql:
      `${RETURNING_PREFIX}INSERT INTO "telemetry_windows" (${quoted(RAW_COLUMNS)}) ${source} ` +
      'ON CONFLICT ("device_id", "seq") DO NOTHING RETURNING "device_id", "seq"',
    params,
  };
}

/** The upsert that adds each delta to its rollup row (sums, and maxima for the two maxima). */
export function rollupUpsertStatement(dialect: BatchDialect, deltas: readonly RollupDelta[]): BatchStatement {
  const rows = deltas.map((d) => [
    d.bucketStart,
    d.deviceId,
    d.artifactId,
    d.profile,
    d.modelVersion,
    d.windows,
    d.samples,
    d.labelled,
    d.correct,
    d.latencySumMs,
    ...d.confidenceHistogram,
    d.latencyP95MaxMs,
    d.arenaMaxBytes,
  ]);
  // SQLite's two-argument MAX is PostgreSQL's GREATEST.
  const greatest = dialect === 'postgres' ? 'GREATEST' : 'MAX';
  const sets = [
    ...SUMMED.map((c) => `"${c}" = "telemetry_rollups"."${c}" + excluded."${c}"`),
    ...MAXED.map((c) => `"${c}" = ${greatest}("telemetry_rollups"."${c}", excluded."${c}")`),
    '"profile" = excluded."profile"',
    '"model_version" = excluded."model_version"',
  ];
  const { source, params } = rowSource(dialect, rows, ROLLUP_COLUMNS.length);
  return {
    sql:
      `INSERT INTO "telemetry_rollups" (${quoted(ROLLUP_COLUMNS)}) ${source} ` +
      `ON CONFLICT ("bucket_start", "device_id", "artifact_id") DO UPDATE SET ${sets.join(', ')}`,
    params,
  };
}

/**
 * The rows as an INSERT source. PostgreSQL: `VALUES ($1, …), …`, one parameter per value.
 * SQLite: the whole batch as one JSON parameter read back with json_each, because
 * node-sqlite3 converts each bound number on the event loop (about 1 µs apiece, most of a
 * batch's main-thread cost) while the JSON is parsed on SQLite's own thread. JSON keeps
 * integers exact; a 17-digit double may come back 1 ulp off (SQLite's text-to-double), which
 * latencies in milliseconds do not notice. `WHERE true` keeps SQLite from reading the upsert's
 * ON as a join constraint.
 */
function rowSource(
  dialect: BatchDialect,
  rows: unknown[][],
  width: number,
): { source: string; params: unknown[] } {
  if (dialect === 'sqlite') {
    const columns = Array.from({ length: width }, (_, i) => `json_extract(value, '$[${i}]')`);
    return {
      source: `SELECT ${columns.join(', ')} FROM json_each(?) WHERE true`,
      params: [JSON.stringify(rows)],
    };
  }
  const params: unknown[] = [];
  const tuples = rows.map((row) => {
    const marks = row.map((value) => `$${params.push(value)}`);
    return `(${marks.join(', ')})`;
  });
  return { source: `VALUES ${tuples.join(', ')}`, params };
}

function quoted(names: string[]): string {
  return names.map((n) => `"${n}"`).join(', ');
}
