import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ArtifactsModule } from '../artifacts/artifacts.module';
import { ModelsModule } from '../models/models.module';
import { FieldSamplesModule } from '../field-samples/field-samples.module';
import { FieldSamplesService } from '../field-samples/field-samples.service';
import { ProfilesModule } from '../profiles/profiles.module';
import { PruningJob } from './pruning-job.entity';
import { PruningJobRunner } from './pruning-job-runner';
import { PruningJobsController } from './pruning-jobs.controller';
import { PruningJobsService } from './pruning-jobs.service';
import { FIELD_SAMPLE_SOURCE } from './pruning-worker-protocol';

@Module({
  imports: [
    TypeOrmModule.forFeature([PruningJob]),
    ModelsModule,
    ArtifactsModule,
    ProfilesModule,
    FieldSamplesModule,
  ],
  controllers: [PruningJobsController],
  providers: [
    PruningJobsService,
    PruningJobRunner,
    { provide: FIELD_SAMPLE_SOURCE, useExisting: FieldSamplesService },
  ],
  exports: [PruningJobsService],
})
export class PruningJobsModule {}
