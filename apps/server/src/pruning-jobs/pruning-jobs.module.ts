import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ArtifactsModule } from '../artifacts/artifacts.module';
import { ModelsModule } from '../models/models.module';
import { ProfilesModule } from '../profiles/profiles.module';
import { PruningJob } from './pruning-job.entity';
import { PruningJobRunner } from './pruning-job-runner';
import { PruningJobsController } from './pruning-jobs.controller';
import { PruningJobsService } from './pruning-jobs.service';

@Module({
  imports: [TypeOrmModule.forFeature([PruningJob]), ModelsModule, ArtifactsModule, ProfilesModule],
  controllers: [PruningJobsController],
  providers: [PruningJobsService, PruningJobRunner],
})
export class PruningJobsModule {}
