import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { EventsModule } from '../events/events.module';
import { FieldSamplesModule } from '../field-samples/field-samples.module';
import { ModelsModule } from '../models/models.module';
import { Deployment } from '../ota/deployment.entity';
import { OtaSession } from '../ota/ota-session.entity';
import { ProfilesModule } from '../profiles/profiles.module';
import { PruningJobsModule } from '../pruning-jobs/pruning-jobs.module';
import { RolloutsModule } from '../rollouts/rollouts.module';
import { TelemetryModule } from '../telemetry/telemetry.module';
import { TelemetryRollupsService } from '../telemetry/telemetry-rollups.service';
import { ClosedLoopController } from './closed-loop.controller';
import { ClosedLoopService } from './closed-loop.service';
import { DriftMonitor } from './drift-monitor.service';
import { DriftPoliciesService } from './drift-policies.service';
import { DriftPolicy } from './drift-policy.entity';
import { FIELD_ACCURACY_SOURCE } from './field-accuracy-source';
import { Remediation } from './remediation.entity';
import { RemediationRunner } from './remediation-runner.service';

@Module({
  imports: [
    TypeOrmModule.forFeature([DriftPolicy, Remediation, Deployment, OtaSession]),
    FieldSamplesModule,
    EventsModule,
    ModelsModule,
    ProfilesModule,
    PruningJobsModule,
    RolloutsModule,
    TelemetryModule,
  ],
  controllers: [ClosedLoopController],
  providers: [
    { provide: FIELD_ACCURACY_SOURCE, useExisting: TelemetryRollupsService },
    DriftMonitor,
    RemediationRunner,
    DriftPoliciesService,
    ClosedLoopService,
  ],
  exports: [ClosedLoopService],
})
export class ClosedLoopModule {}
