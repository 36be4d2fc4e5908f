import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { ENTITIES, MIGRATIONS } from '../database/database-options';
import { PendingWindow, TelemetryBatchStore } from './telemetry-batch-store';
import { TelemetryRollupRow } from './telemetry-rollup.entity';
import { TelemetryWindowRow } from './telemetry-window.entity';

function pending(deviceId: string, seq: number, receivedAt: number): PendingWindow {
  const samples = 5 + (seq % 11);
  const histogram = Array.from({ length: 10 }, (_, i) => (i === seq % 10 ? samples : 0));
  return {
    deviceId,
    seq,
    artifactId: 'art-1',
    modelVersion: 'v1',
    profile: 'rpi-4',
    windowStart: 0, // a device without a clock: buckets follow receivedAt
    windowEnd: 0,
    receivedAt,
    samples,
    labelled: samples - 1,
    correct: Math.floor((samples - 1) / 2),
    latencyMeanMs: 2 + (seq % 3),
    latencyP95Ms: 5 + (seq % 4),
    arenaUsedBytes: 2000 + seq,
    confidenceHistogram: histogram,
  };
}

describe(TelemetryBatchStore.name, () => {
  const dir = mkdtempSync(join(tmpdir(), 'fleetprune-batch-store-'));
  let db: DataSource;

  beforeAll(async () => {
    db = await new DataSource({
      type: 'sqlite',
      database: join(dir, 'db.sqlite'),
      entities: ENTITIES,
      migrations: MIGRATIONS,
      migrationsRun: true,
    }).initialize();
  });
  afterAll(async () => {
    await db?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stores each (device, seq) once and adds only stored windows to the rollups', async () => {
    const store = new TelemetryBatchStore(db, 60_000);
    const t0 = Date.UTC(2025, 10, 27, 12, 0, 30);
    const first = [
      ...Array.from({ length: 40 }, (_, i) => pending('dev-a', i, t0 + i * 1000)),
      ...Array.from({ length: 10 }, (_, i) => pending('dev-b', i, t0 + i * 500)),
      pending('dev-a', 3, t0 + 3000), // the same window twice in one batch
    ];
    expect(await store.write(first)).toEqual({ inserted: 50, duplicates: 1 });
    // A QoS 1 redelivery of stored windows, with new ones mixed in.
    const second = [...first.slice(30, 45), pending('dev-a', 40, t0 + 40_000), pending('dev-b', 10, t0)];
    expect(await store.write(second)).toEqual({ inserted: 2, duplicates: 15 });

    const raw = await db.getRepository(TelemetryWindowRow).find();
    const rollups = await db.getRepository(TelemetryRollupRow).find();
    expect(raw).toHaveLength(52);
    for (const r of rollups) {
      const mine = raw.filter(
        (w) => w.deviceId === r.deviceId && Math.floor(w.receivedAt / 60_000) * 60_000 === r.bucketStart,
      );
      expect(r.windows).toBe(mine.length);
      expect(r.samples).toBe(mine.reduce((a, w) => a + w.samples, 0));
      expect(r.labelled).toBe(mine.reduce((a, w) => a + w.labelled, 0));
      expect(r.correct).toBe(mine.reduce((a, w) => a + w.correct, 0));
      expect(r.latencySumMs).toBeCloseTo(
        mine.reduce((a, w) => a + w.latencyMeanMs * w.samples, 0),
        6,
      );
      expect(r.latencyP95MaxMs).toBe(Math.max(...mine.map((w) => w.latencyP95Ms)));
      expect(r.arenaMaxBytes).toBe(Math.max(...mine.map((w) => w.arenaUsedBytes)));
      const bins = [r.c0, r.c1, r.c2, r.c3, r.c4, r.c5, r.c6, r.c7, r.c8, r.c9];
      expect(bins).toEqual(
        Array.from({ length: 10 }, (_, i) => mine.reduce((a, w) => a + w.confidenceHistogram[i], 0)),
      );
      expect(r.profile).toBe('rpi-4');
    }
    expect(rollups.reduce((a, r) => a + r.windows, 0)).toBe(52);
  });

  it('stores every field of a large batch as sent (one statement per table, any batch size)', async () => {
    const store = new TelemetryBatchStore(db, 60_000);
    const t0 = Date.UTC(2025, 10, 28, 9, 0, 0);
    // Past one statement's worth of bound parameters on SQLite (32,766), 64-bit timestamps,
    // u32 counters and fractional latencies.
    const batch = Array.from({ length: 2500 }, (_, i) => ({
      ...pending(`dev-${i % 700}`, 0xffff_0000 + i, t0 + i),
      windowStart: t0 - 60_000 + i,
      windowEnd: t0 + i,
      arenaUsedBytes: 0xffff_ffff - i,
      latencyMeanMs: 0.125 + i / 8,
      latencyP95Ms: 3_599_999.5 - i,
    }));
    expect(await store.write(batch)).toEqual({ inserted: 2500, duplicates: 0 });
    const rows = await db
      .getRepository(TelemetryWindowRow)
      .createQueryBuilder('w')
      .where('w.received_at >= :t0', { t0 })
      .getMany();
    expect(rows).toHaveLength(2500);
    const byKey = new Map(rows.map((r) => [`${r.deviceId}/${r.seq}`, r]));
    for (const w of batch) {
      const r = byKey.get(`${w.deviceId}/${w.seq}`)!;
      expect({
        artifactId: r.artifactId,
        modelVersion: r.modelVersion,
        windowStart: r.windowStart,
        windowEnd: r.windowEnd,
        samples: r.samples,
        labelled: r.labelled,
        correct: r.correct,
        confidenceHistogram: r.confidenceHistogram,
        latencyMeanMs: r.latencyMeanMs,
        latencyP95Ms: r.latencyP95Ms,
        arenaUsedBytes: r.arenaUsedBytes,
        receivedAt: r.receivedAt,
      }).toEqual({
        artifactId: w.artifactId,
        modelVersion: w.modelVersion,
        windowStart: w.windowStart,
        windowEnd: w.windowEnd,
        samples: w.samples,
        labelled: w.labelled,
        correct: w.correct,
        confidenceHistogram: w.confidenceHistogram,
        latencyMeanMs: w.latencyMeanMs,
        latencyP95Ms: w.latencyP95Ms,
        arenaUsedBytes: w.arenaUsedBytes,
        receivedAt: w.receivedAt,
      });
    }
  });
});
