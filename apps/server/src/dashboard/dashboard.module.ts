import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { EventsModule } from '../events/events.module';
import { Deployment } from '../ota/deployment.entity';
import { OtaModule } from '../ota/ota.module';
import { OtaSession } from '../ota/ota-session.entity';
import { PruningJobsModule } from '../pruning-jobs/pruning-jobs.module';
import { TelemetryModule } from '../telemetry/telemetry.module';
import { ApiWritesInterceptor } from './api-writes.interceptor';
import { DashboardDataController } from './dashboard-data.controller';
import { DashboardStaticController } from './dashboard-static.controller';
import { FleetOtaService } from './fleet-ota.service';
import { LiveStreamController } from './live-stream.controller';
import { LiveUpdatesService } from './live-updates.service';

/** The operators' web UI: its static files, its live-update stream and the read models it needs. */
@Module({
  imports: [
    TypeOrmModule.forFeature([OtaSession, Deployment]),
    EventsModule,
    OtaModule,
    PruningJobsModule,
    TelemetryModule,
  ],
  // The static controller's catch-all route goes last, after the API routes of this module.
  controllers: [LiveStreamController, DashboardDataController, DashboardStaticController],
  providers: [
    LiveUpdatesService,
    FleetOtaService,
    { provide: APP_INTERCEPTOR, useClass: ApiWritesInterceptor },
  ],
})
export class DashboardModule {}
