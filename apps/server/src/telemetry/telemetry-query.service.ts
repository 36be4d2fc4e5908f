import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository, SelectQueryBuilder } from 'typeorm';
import { TelemetryWindowRow } from './telemetry-window.entity';
import { TelemetryGroup, TelemetryQueryDto, TelemetrySummaryRow } from './telemetry-query.dto';

const GROUP_COLUMN: Record<TelemetryGroup, string> = {
  device: 't.device_id',
  artifact: 't.artifact_id',
  modelVersion: 't.model_version',
  profile: 'd.profile',
};

/** Reads stored telemetry: raw windows and totals per device, artifact, model version or profile. */
@Injectable()
export class TelemetryQueryService {
  constructor(
    @InjectRepository(TelemetryWindowRow) private readonly windows: Repository<TelemetryWindowRow>,
  ) {}

  /** Newest windows first. */
  list(query: TelemetryQueryDto): Promise<TelemetryWindowRow[]> {
    return this.filtered(query)
      .orderBy('t.window_end', 'DESC')
      .addOrderBy('t.id', 'DESC')
      .take(query.limit ?? 100)
      .getMany();
  }

  async summary(query: TelemetryQueryDto, groupBy: TelemetryGroup): Promise<TelemetrySummaryRow[]> {
    const column = GROUP_COLUMN[groupBy];
    const qb = this.filtered(query);
    if (groupBy === 'profile') qb.innerJoin('devices', 'd', 'd.id = t.device_id');
    const raw = await qb
      .select(column, 'key')
      .addSelect('COUNT(*)', 'windows')
      .addSelect('SUM(t.samples)', 'samples')
      .addSelect('SUM(t.labelled)', 'labelled')
      .addSelect('SUM(t.correct)', 'correct')
      .addSelect('SUM(t.latency_mean_ms * t.samples)', 'latencyWeighted')
      .addSelect('MAX(t.latency_p95_ms)', 'p95')
      .groupBy(column)
      .orderBy(column, 'ASC')
      .limit(query.limit ?? 1000)
      .getRawMany<Record<string, string | number | null>>();
    return raw.map((r) => {
      const samples = Number(r.samples);
      const labelled = Number(r.labelled);
      const correct = Number(r.correct);
      return {
        key: String(r.key),
        windows: Number(r.windows),
        samples,
        labelled,
        correct,
        accuracy: labelled > 0 ? correct / labelled : null,
        latencyMeanMs: samples > 0 ? Number(r.latencyWeighted) / samples : null,
        latencyP95MaxMs: r.p95 === null ? null : Number(r.p95),
      };
    });
  }

  private filtered(query: TelemetryQueryDto): SelectQueryBuilder<TelemetryWindowRow> {
    const qb = this.windows.createQueryBuilder('t');
    if (query.deviceId) qb.andWhere('t.device_id = :deviceId', { deviceId: query.deviceId });
    if (query.artifactId) qb.andWhere('t.artifact_id = :artifactId', { artifactId: query.artifactId });
    if (query.since !== undefined) qb.andWhere('t.window_end >= :since', { since: query.since });
    if (query.until !== undefined) qb.andWhere('t.window_end < :until', { until: query.until });
    return qb;
  }
}
