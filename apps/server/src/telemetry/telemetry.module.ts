import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Artifact } from '../artifacts/artifact.entity';
import { BrokerModule } from '../broker/broker.module';
import { Device } from '../devices/device.entity';
import { Deployment } from '../ota/deployment.entity';
import { OtaSession } from '../ota/ota-session.entity';
import { TelemetryController } from './telemetry.controller';
import { TelemetryIngestService } from './telemetry-ingest.service';
import { TelemetryQueryService } from './telemetry-query.service';
import { TelemetryRetentionService } from './telemetry-retention.service';
import { TelemetryRollupRow } from './telemetry-rollup.entity';
import { TelemetryRollupsService } from './telemetry-rollups.service';
import { TelemetryWindowRow } from './telemetry-window.entity';

@Module({
  imports: [
    TypeOrmModule.forFeature([
      TelemetryWindowRow,
      TelemetryRollupRow,
      Device,
      OtaSession,
      Deployment,
      Artifact,
    ]),
    BrokerModule,
  ],
  controllers: [TelemetryController],
  providers: [
    TelemetryIngestService,
    TelemetryQueryService,
    TelemetryRollupsService,
    TelemetryRetentionService,
  ],
  exports: [TelemetryIngestService, TelemetryRollupsService, TelemetryRetentionService],
})
export class TelemetryModule {}
