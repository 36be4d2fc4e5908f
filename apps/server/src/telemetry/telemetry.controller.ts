import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import {
  TelemetryQueryDto,
  TelemetryRollupPoint,
  TelemetryRollupsQueryDto,
  TelemetrySummaryQueryDto,
  TelemetrySummaryRow,
} from './telemetry-query.dto';
import { TelemetryIngestService, TelemetryStats } from './telemetry-ingest.service';
import { TelemetryQueryService } from './telemetry-query.service';
import { TelemetryRollupsService } from './telemetry-rollups.service';
import { TelemetryWindowRow } from './telemetry-window.entity';

@ApiTags('telemetry')
@ApiBearerAuth()
@Controller('api/telemetry')
export class TelemetryController {
  constructor(
    private readonly telemetry: TelemetryQueryService,
    private readonly rollups: TelemetryRollupsService,
    private readonly ingest: TelemetryIngestService,
  ) {}

  /** Raw windows, newest first, filtered by device, artifact and time. */
  @Get()
  list(@Query() query: TelemetryQueryDto): Promise<TelemetryWindowRow[]> {
    return this.telemetry.list(query);
  }

  /** Totals (samples, accuracy, latency) per device, artifact, model version or profile, from the rollups. */
  @Get('summary')
  summary(@Query() query: TelemetrySummaryQueryDto): Promise<TelemetrySummaryRow[]> {
    const { groupBy, ...filters } = query;
    return this.rollups.summary(filters, groupBy ?? 'artifact');
  }

  /** Time series of the rollups per group, in buckets of bucketS seconds. */
  @Get('rollups')
  series(@Query() query: TelemetryRollupsQueryDto): Promise<TelemetryRollupPoint[]> {
    return this.rollups.series(query);
  }

  /** Windows accepted, duplicates ignored and windows rejected by reason, since boot. */
  @Get('stats')
  stats(): TelemetryStats {
    return this.ingest.stats();
  }
}
