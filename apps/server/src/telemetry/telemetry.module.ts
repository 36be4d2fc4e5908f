import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { BrokerModule } from '../broker/broker.module';
import { Device } from '../devices/device.entity';
import { OtaSession } from '../ota/ota-session.entity';
import { TelemetryController } from './telemetry.controller';
import { TelemetryIngestService } from './telemetry-ingest.service';
import { TelemetryQueryService } from './telemetry-query.service';
import { TelemetryWindowRow } from './telemetry-window.entity';

@Module({
  imports: [TypeOrmModule.forFeature([TelemetryWindowRow, Device, OtaSession]), BrokerModule],
  controllers: [TelemetryController],
  providers: [TelemetryIngestService, TelemetryQueryService],
  exports: [TelemetryIngestService],
})
export class TelemetryModule {}
