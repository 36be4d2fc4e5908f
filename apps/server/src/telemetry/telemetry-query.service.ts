import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { TelemetryWindowRow } from './telemetry-window.entity';
import { TelemetryQueryDto } from './telemetry-query.dto';

/** Reads raw telemetry windows (kept for TELEMETRY_RAW_RETENTION_H; totals come from the rollups). */
@Injectable()
export class TelemetryQueryService {
  constructor(
    @InjectRepository(TelemetryWindowRow) private readonly windows: Repository<TelemetryWindowRow>,
  ) {}

  /** Newest windows first. */
  list(query: TelemetryQueryDto): Promise<TelemetryWindowRow[]> {
    const qb = this.windows.createQueryBuilder('t');
    if (query.deviceId) qb.andWhere('t.device_id = :deviceId', { deviceId: query.deviceId });
    if (query.artifactId) qb.andWhere('t.artifact_id = :artifactId', { artifactId: query.artifactId });
    if (query.since !== undefined) qb.andWhere('t.window_end >= :since', { since: query.since });
    if (query.until !== undefined) qb.andWhere('t.window_end < :until', { until: query.until });
    return qb
      .orderBy('t.window_end', 'DESC')
      .addOrderBy('t.id', 'DESC')
      .take(query.limit ?? 100)
      .getMany();
  }
}
