import type { DataSource, EntityManager } from 'typeorm';
import { CONFIDENCE_COLUMNS } from './telemetry-rollup.entity';
import { aggregateWindows, RollupDelta, RollupInput } from './telemetry-rollup-delta';

/** A window accepted by ingestion, waiting in the batch. */
export interface PendingWindow extends RollupInput {
  seq: number;
  windowStart: number;
  windowEnd: number;
}

/** What one batch did: windows stored, and repeated (device, seq) pairs ignored. */
export interface BatchOutcome {
  inserted: number;
  duplicates: number;
}

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
 * Writes a batch of windows and its rollups in one transaction. Only windows actually inserted
 * (RETURNING after ON CONFLICT DO NOTHING) reach the rollups, so a QoS 1 redelivery of a stored
 * (device, seq) counts nowhere twice. Plain SQL: both SQLite (>= 3.35) and PostgreSQL speak it.
 */
export class TelemetryBatchStore {
  private readonly postgres: boolean;

  constructor(
    private readonly dataSource: DataSource,
    private readonly bucketMs: number,
  ) {
    this.postgres = dataSource.options.type === 'postgres';
  }

  /** Stores `batch` (any size up to a few thousand) and adds its windows to the rollups. */
  async write(batch: readonly PendingWindow[]): Promise<BatchOutcome> {
    if (batch.length === 0) return { inserted: 0, duplicates: 0 };
    const unique = new Map<string, PendingWindow>();
    for (const w of batch) {
      const key = `${w.deviceId}\n${w.seq}`;
      if (!unique.has(key)) unique.set(key, w);
    }
    const inserted = await this.dataSource.manager.transaction(async (em) => {
      // One key order for every writer: replicas sharing PostgreSQL lock rows in the same
      // order and cannot deadlock on each other's batches.
      const rows = await this.insertRaw(em, [...unique.values()].sort(byDeviceSeq));
      const stored = rows.map((r) => unique.get(`${r.device_id}\n${Number(r.seq)}`)!).filter(Boolean);
      await this.upsertRollups(em, aggregateWindows(stored, this.bucketMs).sort(byRollupKey));
      return stored.length;
    });
    return { inserted, duplicates: batch.length - inserted };
  }

  private async insertRaw(
    em: EntityManager,
    windows: PendingWindow[],
  ): Promise<Array<{ device_id: string; seq: string | number }>> {
    const params: unknown[] = [];
    const tuples = windows.map((w) =>
      this.tuple(params, [
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
      ]),
    );
    const sql =
      `${RETURNING_PREFIX}INSERT INTO "telemetry_windows" (${quoted(RAW_COLUMNS)}) VALUES ${tuples.join(', ')} ` +
      'ON CONFLICT ("device_id", "seq") DO NOTHING RETURNING "device_id", "seq"';
    return em.query(sql, params);
  }

  private async upsertRollups(em: EntityManager, deltas: RollupDelta[]): Promise<void> {
    if (deltas.length === 0) return;
    const params: unknown[] = [];
    const tuples = deltas.map((d) =>
      this.tuple(params, [
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
      ]),
    );
    // SQLite's two-argument MAX is PostgreSQL's GREATEST.
    const greatest = this.postgres ? 'GREATEST' : 'MAX';
    const sets = [
      ...SUMMED.map((c) => `"${c}" = "telemetry_rollups"."${c}" + excluded."${c}"`),
      ...MAXED.map((c) => `"${c}" = ${greatest}("telemetry_rollups"."${c}", excluded."${c}")`),
      '"profile" = excluded."profile"',
      '"model_version" = excluded."model_version"',
    ];
    await em.query(
      `INSERT INTO "telemetry_rollups" (${quoted(ROLLUP_COLUMNS)}) VALUES ${tuples.join(', ')} ` +
        `ON CONFLICT ("bucket_start", "device_id", "artifact_id") DO UPDATE SET ${sets.join(', ')}`,
      params,
    );
  }

  /** `(?, ?, ...)` or `($7, $8, ...)`, appending `values` to `params`. */
  private tuple(params: unknown[], values: unknown[]): string {
    const marks = values.map((v) => {
      params.push(v);
      return this.postgres ? `$${params.length}` : '?';
    });
    return `(${marks.join(', ')})`;
  }
}

function byDeviceSeq(a: PendingWindow, b: PendingWindow): number {
  return a.deviceId < b.deviceId ? -1 : a.deviceId > b.deviceId ? 1 : a.seq - b.seq;
}

function byRollupKey(a: RollupDelta, b: RollupDelta): number {
  if (a.bucketStart !== b.bucketStart) return a.bucketStart - b.bucketStart;
  const ka = `${a.deviceId}\n${a.artifactId}`;
  const kb = `${b.deviceId}\n${b.artifactId}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

function quoted(names: string[]): string {
  return names.map((n) => `"${n}"`).join(', ');
}
