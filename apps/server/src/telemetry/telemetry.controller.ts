import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { TelemetryQueryDto, TelemetrySummaryQueryDto, TelemetrySummaryRow } from './telemetry-query.dto';
import { TelemetryQueryService } from './telemetry-query.service';
import { TelemetryWindowRow } from './telemetry-window.entity';

@ApiTags('telemetry')
@ApiBearerAuth()
@Controller('api/telemetry')
export class TelemetryController {
  constructor(private readonly telemetry: TelemetryQueryService) {}

  /** Raw windows, newest first, filtered by device, artifact and time. */
  @Get()
  list(@Query() query: TelemetryQueryDto): Promise<TelemetryWindowRow[]> {
    return this.telemetry.list(query);
  }

  /** Totals (samples, accuracy, latency) per device, artifact, model version or profile. */
  @Get('summary')
  summary(@Query() query: TelemetrySummaryQueryDto): Promise<TelemetrySummaryRow[]> {
    const { groupBy, ...filters } = query;
    return this.telemetry.summary(filters, groupBy ?? 'artifact');
  }
}
