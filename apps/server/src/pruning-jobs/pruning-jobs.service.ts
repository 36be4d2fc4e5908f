import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { filter, map, Observable, startWith, takeWhile } from 'rxjs';
import { Repository } from 'typeorm';
import { AppError } from '../errors/app-error';
import { ModelsService } from '../models/models.service';
import { ProfilesService } from '../profiles/profiles.service';
import { CreatePruningJobDto } from './pruning-job.dto';
import { PruningJob, PruningJobOptions } from './pruning-job.entity';
import { PruningJobRunner } from './pruning-job-runner';

const FINISHED = new Set(['succeeded', 'failed', 'cancelled']);

/** Pruning jobs: create, inspect, follow, cancel. The runner does the work. */
@Injectable()
export class PruningJobsService {
  constructor(
    @InjectRepository(PruningJob) private readonly jobs: Repository<PruningJob>,
    private readonly runner: PruningJobRunner,
    private readonly models: ModelsService,
    private readonly profiles: ProfilesService,
  ) {}

  /** Queues a job; `internal` carries what only the server itself sets (the closed loop). */
  async create(
    dto: CreatePruningJobDto,
    internal: Pick<PruningJobOptions, 'fieldSampleSince'> = {},
  ): Promise<PruningJob> {
    if (!dto.model && !dto.modelVersionId)
      throw new AppError('INVALID_INPUT', 'give "model" (its latest version is pruned) or "modelVersionId"');
    const version = dto.modelVersionId
      ? await this.models.getVersion(dto.modelVersionId)
      : await this.models.latestVersion(dto.model!);
    for (const name of dto.profiles) await this.profiles.get(name);
    const model = await this.models.get(version.modelId);
    const dataset = dto.dataset ?? (model.dataset as 'fashion-mnist' | 'mnist' | null) ?? 'fashion-mnist';
    const job = this.jobs.create({
      id: randomUUID(),
      modelVersionId: version.id,
      profiles: [...new Set(dto.profiles)],
      options: {
        dataset,
        targetParams: dto.targetParams,
        maxDrop: dto.maxDrop,
        epochs: dto.epochs ?? 5,
        seed: dto.seed ?? 0,
        scorer: dto.scorer ?? 'taylor',
        distill: dto.distill ?? false,
        minKeepFraction: dto.minKeepFraction,
        trainLimit: dto.trainLimit,
        fieldSampleShare: dto.fieldSampleShare || undefined,
        ...internal,
        testLimit: dto.testLimit,
      },
      status: 'queued',
      progress: null,
      results: [],
      error: null,
      attempts: 0,
      startedAt: null,
      finishedAt: null,
    });
    await this.jobs.save(job);
    void this.runner.pump();
    return this.get(job.id);
  }

  list(): Promise<PruningJob[]> {
    return this.jobs.find({ order: { createdAt: 'DESC' }, take: 200 });
  }

  async get(id: string): Promise<PruningJob> {
    const job = await this.jobs.findOneBy({ id });
    if (!job) throw AppError.notFound('pruning job', id);
    return job;
  }

  async cancel(id: string): Promise<PruningJob> {
    const job = await this.get(id);
    if (job.status === 'queued') {
      await this.jobs.update(
        { id, status: 'queued' },
        { status: 'cancelled', finishedAt: new Date().toISOString() },
      );
    } else if (job.status === 'running') {
      this.runner.cancel(id);
    } else {
      throw new AppError('CONFLICT', `job ${id} already ${job.status}`);
    }
    return this.get(id);
  }

  /** The job now, then every change, ending after it finishes. */
  async follow(id: string): Promise<Observable<PruningJob>> {
    const current = await this.get(id);
    return this.runner.changes$.pipe(
      filter((job) => job.id === id),
      startWith(current),
      map((job) => ({ ...job })),
      takeWhile((job) => !FINISHED.has(job.status), true),
    );
  }
}
