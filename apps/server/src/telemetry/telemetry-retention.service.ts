import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityTarget, ObjectLiteral } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { TelemetryRollupRow } from './telemetry-rollup.entity';
import { TelemetryWindowRow } from './telemetry-window.entity';

const SWEEP_EVERY_MS = 10 * 60_000;
/** Rows per DELETE: each is its own short transaction, so ingestion's writes slot in between. */
const DELETE_BATCH = 1000;

/** Rows one sweep deleted. */
export interface SweepResult {
  rawDeleted: number;
  rollupsDeleted: number;
}

/**
 * Deletes raw windows older than TELEMETRY_RAW_RETENTION_H (by arrival time) and rollups
 * whose bucket started before TELEMETRY_ROLLUP_RETENTION_D, at boot and every 10 minutes.
 */
@Injectable()
export class TelemetryRetentionService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('TelemetryRetention');
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<SweepResult> | undefined;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    const run = () =>
      void this.sweep().catch((error: unknown) =>
        this.logger.error(
          `retention sweep failed: ${error instanceof Error ? error.message : String(error)}`,
        ),
      );
    run();
    this.timer = setInterval(run, SWEEP_EVERY_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** One sweep against `now` (a sweep already running is joined, not doubled). */
  sweep(now = Date.now()): Promise<SweepResult> {
    this.running ??= this.sweepOnce(now).finally(() => (this.running = undefined));
    return this.running;
  }

  private async sweepOnce(now: number): Promise<SweepResult> {
    const rawDeleted = await this.deleteOlder(
      TelemetryWindowRow,
      'telemetry_windows',
      'received_at',
      now - this.config.telemetryRawRetentionMs,
    );
    const rollupsDeleted = await this.deleteOlder(
      TelemetryRollupRow,
      'telemetry_rollups',
      'bucket_start',
      now - this.config.telemetryRollupRetentionMs,
    );
    if (rawDeleted + rollupsDeleted > 0)
      this.logger.log(`retention: deleted ${rawDeleted} raw windows and ${rollupsDeleted} rollups`);
    return { rawDeleted, rollupsDeleted };
  }

  private async deleteOlder(
    entity: EntityTarget<ObjectLiteral>,
    table: string,
    column: string,
    cutoff: number,
  ): Promise<number> {
    let total = 0;
    for (;;) {
      // Through a transaction: on SQLite that queues it behind ingestion's open batch
      // (serializeTransactions) instead of running inside it.
      const affected = await this.dataSource.manager.transaction(async (em) => {
        const result = await em
          .createQueryBuilder()
          .delete()
          .from(entity)
          .where(`id IN (SELECT id FROM "${table}" WHERE "${column}" < :cutoff LIMIT ${DELETE_BATCH})`, {
            cutoff,
          })
          .execute();
        return result.affected ?? 0;
      });
      total += affected;
      if (affected < DELETE_BATCH) return total;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
}
