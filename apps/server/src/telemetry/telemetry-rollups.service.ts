import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository, SelectQueryBuilder } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { queryBucketMs } from './telemetry-bucket';
import {
  AccuracyTotals,
  AccuracyTotalsFilter,
  TelemetryGroup,
  TelemetryRollupFilter,
  TelemetryRollupPoint,
  TelemetryRollupsQueryDto,
  TelemetrySummaryRow,
} from './telemetry-query.dto';
import { CONFIDENCE_COLUMNS, TelemetryRollupRow } from './telemetry-rollup.entity';

const GROUP_COLUMN: Record<TelemetryGroup, string> = {
  device: 'r.device_id',
  artifact: 'r.artifact_id',
  modelVersion: 'r.model_version',
  profile: 'r.profile',
};
/** Devices per IN (...) list: well under SQLite's and PostgreSQL's parameter limits. */
const DEVICE_CHUNK = 500;

type RawTotals = Record<string, string | number | null>;

/** Reads the rollups: time series, totals per group, and accuracy totals for the closed loop. */
@Injectable()
export class TelemetryRollupsService {
  constructor(
    @InjectRepository(TelemetryRollupRow) private readonly rollups: Repository<TelemetryRollupRow>,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Totals per group over the filtered buckets, ordered by key. */
  async summary(
    filter: TelemetryRollupFilter & { limit?: number },
    groupBy: TelemetryGroup,
  ): Promise<TelemetrySummaryRow[]> {
    const column = GROUP_COLUMN[groupBy];
    const raw = await this.totals(this.filtered(filter))
      .addSelect(column, 'key')
      .groupBy(column)
      .orderBy(column, 'ASC')
      .limit(filter.limit ?? 1000)
      .getRawMany<RawTotals>();
    return raw.map((r) => summaryRow(r));
  }

  /** A time series per group: buckets of `bucketS` (a multiple of the stored bucket), summed in SQL. */
  async series(query: TelemetryRollupsQueryDto): Promise<TelemetryRollupPoint[]> {
    const bucketMs = queryBucketMs(query.bucketS, this.config.telemetryBucketMs);
    const column = GROUP_COLUMN[query.groupBy ?? 'artifact'];
    // bucketMs is a validated integer, inlined so both engines do integer division on bigint.
    const bucket = `(r.bucket_start / ${bucketMs}) * ${bucketMs}`;
    const qb = this.totals(this.filtered(query)).addSelect(bucket, 'bucket').addSelect(column, 'key');
    CONFIDENCE_COLUMNS.forEach((c, i) => qb.addSelect(`SUM(r.${c})`, `c${i}`));
    const raw = await qb
      .groupBy(bucket)
      .addGroupBy(column)
      .orderBy(bucket, 'ASC')
      .addOrderBy(column, 'ASC')
      .limit(query.limit ?? 1000)
      .getRawMany<RawTotals>();
    return raw.map((r) => ({
      bucketStart: Number(r.bucket),
      ...summaryRow(r),
      confidenceHistogram: CONFIDENCE_COLUMNS.map((_, i) => Number(r[`c${i}`])),
    }));
  }

  /**
   * Windows, samples, labelled and correct over the rollups matching `filter` (`since` and
   * `until` compare with bucket starts). Thousands of device ids are queried in chunks.
   */
  async accuracyTotals(filter: AccuracyTotalsFilter): Promise<AccuracyTotals> {
    const sum: AccuracyTotals = { windows: 0, samples: 0, labelled: 0, correct: 0 };
    const { deviceIds, ...rest } = filter;
    const chunks: Array<string[] | undefined> = [];
    if (deviceIds === undefined) chunks.push(undefined);
    else
      for (let i = 0; i < deviceIds.length; i += DEVICE_CHUNK)
        chunks.push(deviceIds.slice(i, i + DEVICE_CHUNK));
    for (const ids of chunks) {
      const qb = this.filtered(rest);
      if (ids) qb.andWhere('r.device_id IN (:...ids)', { ids });
      const r = (await this.totals(qb).getRawOne<RawTotals>()) ?? {};
      sum.windows += Number(r.windows ?? 0);
      sum.samples += Number(r.samples ?? 0);
      sum.labelled += Number(r.labelled ?? 0);
      sum.correct += Number(r.correct ?? 0);
    }
    return sum;
  }

  private totals(qb: SelectQueryBuilder<TelemetryRollupRow>): SelectQueryBuilder<TelemetryRollupRow> {
    return qb
      .select('SUM(r.windows)', 'windows')
      .addSelect('SUM(r.samples)', 'samples')
      .addSelect('SUM(r.labelled)', 'labelled')
      .addSelect('SUM(r.correct)', 'correct')
      .addSelect('SUM(r.latency_sum_ms)', 'latencySum')
      .addSelect('MAX(r.latency_p95_max_ms)', 'p95');
  }

  private filtered(filter: TelemetryRollupFilter): SelectQueryBuilder<TelemetryRollupRow> {
    const qb = this.rollups.createQueryBuilder('r');
    if (filter.deviceId) qb.andWhere('r.device_id = :deviceId', { deviceId: filter.deviceId });
    if (filter.artifactId) qb.andWhere('r.artifact_id = :artifactId', { artifactId: filter.artifactId });
    if (filter.profile) qb.andWhere('r.profile = :profile', { profile: filter.profile });
    if (filter.since !== undefined) qb.andWhere('r.bucket_start >= :since', { since: filter.since });
    if (filter.until !== undefined) qb.andWhere('r.bucket_start < :until', { until: filter.until });
    return qb;
  }
}

function summaryRow(r: RawTotals): TelemetrySummaryRow {
  const samples = Number(r.samples ?? 0);
  const labelled = Number(r.labelled ?? 0);
  const correct = Number(r.correct ?? 0);
  return {
    key: String(r.key),
    windows: Number(r.windows ?? 0),
    samples,
    labelled,
    correct,
    accuracy: labelled > 0 ? correct / labelled : null,
    latencyMeanMs: samples > 0 ? Number(r.latencySum) / samples : null,
    latencyP95MaxMs: r.p95 === null || r.p95 === undefined ? null : Number(r.p95),
  };
}
