import type { DataSource } from 'typeorm';
import { BatchDialect, rawInsertStatement, rollupUpsertStatement } from './telemetry-batch-sql';
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

/**
 * Writes a batch of windows and its rollups in one transaction. Only windows actually inserted
 * (RETURNING after ON CONFLICT DO NOTHING) reach the rollups, so a QoS 1 redelivery of a stored
 * (device, seq) counts nowhere twice. Plain SQL: both SQLite (>= 3.35) and PostgreSQL speak it.
 */
export class TelemetryBatchStore {
  private readonly dialect: BatchDialect;

  constructor(
    private readonly dataSource: DataSource,
    private readonly bucketMs: number,
  ) {
    this.dialect = dataSource.options.type === 'postgres' ? 'postgres' : 'sqlite';
  }

  /**
   * Stores `batch` and adds its windows to the rollups. Any size on SQLite (one JSON parameter
   * per statement); up to 2,978 windows on PostgreSQL (22 parameters per rollup row, 65,535 at most).
   */
  async write(batch: readonly PendingWindow[]): Promise<BatchOutcome> {
    if (batch.length === 0) return { inserted: 0, duplicates: 0 };
    const unique = new Map<string, PendingWindow>();
    for (const w of batch) {
      const key = `${w.deviceId}\n${w.seq}`;
      if (!unique.has(key)) unique.set(key, w);
    }
    // One key order for every writer: replicas sharing PostgreSQL lock rows in the same order
    // and cannot deadlock on each other's batches.
    const raw = rawInsertStatement(this.dialect, [...unique.values()].sort(byDeviceSeq));
    const inserted = await this.dataSource.manager.transaction(async (em) => {
      const rows: Array<{ device_id: string; seq: string | number }> = await em.query(raw.sql, raw.params);
      const stored = rows.map((r) => unique.get(`${r.device_id}\n${Number(r.seq)}`)!).filter(Boolean);
      const deltas = aggregateWindows(stored, this.bucketMs).sort(byRollupKey);
      if (deltas.length > 0) {
        const upsert = rollupUpsertStatement(this.dialect, deltas);
        await em.query(upsert.sql, upsert.params);
      }
      return stored.length;
    });
    return { inserted, duplicates: batch.length - inserted };
  }
}

function byDeviceSeq(a: PendingWindow, b: PendingWindow): number {
  return a.deviceId < b.deviceId ? -1 : a.deviceId > b.deviceId ? 1 : a.seq - b.seq;
}

function byRollupKey(a: RollupDelta, b: RollupDelta): number {
  if (a.bucketStart !== b.bucketStart) return a.bucketStart - b.bucketStart;
  if (a.deviceId !== b.deviceId) return a.deviceId < b.deviceId ? -1 : 1;
  return a.artifactId < b.artifactId ? -1 : a.artifactId > b.artifactId ? 1 : 0;
}
