import { existsSync } from 'node:fs';
import { readdir, readFile, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Subject } from 'rxjs';
import { Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { ArtifactsService } from '../artifacts/artifacts.service';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { ModelsService } from '../models/models.service';
import { ProfilesService } from '../profiles/profiles.service';
import { PruningJob, PruningJobResult } from './pruning-job.entity';
import {
  FIELD_SAMPLE_SOURCE,
  FieldImageSet,
  FieldSampleSource,
  PruningWorkerInput,
  PruningWorkerOutput,
  WorkerMessage,
} from './pruning-worker-protocol';

/**
 * Runs queued pruning jobs in worker threads, one at a time by default (each trains on all
 * of a core). State lives in the database: a job that was running when the server died is
 * queued again at the next start.
 */
@Injectable()
export class PruningJobRunner implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('PruningJobs');
  private readonly running = new Map<string, Worker>();
  private readonly concurrency = 1;
  private stopping = false;
  /** Emits a job whenever its state or progress changes (SSE streams listen here). */
  readonly changes$ = new Subject<PruningJob>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectRepository(PruningJob) private readonly jobs: Repository<PruningJob>,
    private readonly models: ModelsService,
    private readonly artifacts: ArtifactsService,
    private readonly profiles: ProfilesService,
    @Inject(FIELD_SAMPLE_SOURCE) private readonly fieldSamples: FieldSampleSource,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const interrupted = await this.jobs.findBy({ status: 'running' });
    for (const job of interrupted) {
      await this.jobs.update({ id: job.id }, { status: 'queued', progress: null });
      this.logger.warn(`job ${job.id} was running when the server stopped; queued again`);
    }
    void this.pump();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await Promise.all([...this.running.values()].map((worker) => worker.terminate()));
  }

  /** Starts queued jobs while there is capacity. */
  async pump(): Promise<void> {
    while (!this.stopping && this.running.size < this.concurrency) {
      const next = await this.jobs.findOne({ where: { status: 'queued' }, order: { createdAt: 'ASC' } });
      if (!next) return;
      await this.start(next);
    }
  }

  /** Asks a running job's worker to stop; it reports 'cancelled'. */
  cancel(jobId: string): boolean {
    const worker = this.running.get(jobId);
    worker?.postMessage({ type: 'cancel' });
    return worker !== undefined;
  }

  private async start(job: PruningJob): Promise<void> {
    const version = await this.models.getVersion(job.modelVersionId);
    const outDir = join(this.config.dataDir, 'tmp', 'jobs', job.id);
    await rm(outDir, { recursive: true, force: true });
    const input: PruningWorkerInput = {
      jobId: job.id,
      modelJsonPath: join(this.artifacts.store.root, version.artifactId, 'model.json'),
      profiles: await Promise.all(job.profiles.map((name) => this.profiles.get(name))),
      options: job.options,
      fieldSets: await this.fieldSetsFor(job),
      outDir,
    };
    await this.save(job, {
      status: 'running',
      startedAt: new Date().toISOString(),
      attempts: job.attempts + 1,
      error: null,
    });
    const worker = new Worker(workerScript(), { workerData: input, execArgv: [] });
    this.running.set(job.id, worker);
    this.logger.log(`job ${job.id}: pruning ${version.id} for ${job.profiles.join(', ')}`);
    let lastProgressWrite = 0;
    let settled = false;
    const finish = async (changes: Partial<PruningJob>) => {
      if (settled) return;
      settled = true;
      this.running.delete(job.id);
      // The worker listens for 'cancel' and so would live on after reporting.
      await worker.terminate();
      await this.save(job, { ...changes, finishedAt: new Date().toISOString() });
      await rm(outDir, { recursive: true, force: true });
      void this.pump();
    };
    worker.on('message', (message: WorkerMessage) => {
      if (message.type === 'log') this.logger.log(`job ${job.id}: ${message.line}`);
      if (message.type === 'progress') {
        job.progress = message.progress;
        this.changes$.next(job);
        // Progress is frequent; the database copy only needs to be roughly current.
        if (Date.now() - lastProgressWrite > 1000) {
          lastProgressWrite = Date.now();
          void this.jobs.update({ id: job.id }, { progress: message.progress });
        }
      }
      if (message.type === 'done') {
        void this.storeResults(version, message.outputs).then(
          (results) => finish({ status: 'succeeded', results }),
          (error: Error) => finish({ status: 'failed', error: `storing results failed: ${error.message}` }),
        );
      }
      if (message.type === 'failed') {
        void finish({
          status: message.message === 'cancelled' ? 'cancelled' : 'failed',
          error: message.message,
        });
      }
    });
    worker.on(
      'error',
      (error) => void finish({ status: 'failed', error: `worker crashed: ${error.message}` }),
    );
    worker.on('exit', (code) => {
      // A terminate at shutdown leaves the job 'running' so the next start re-queues it.
      if (!this.stopping && code !== 0)
        void finish({ status: 'failed', error: `worker exited with code ${code}` });
    });
  }

  /** The labelled field samples of each profile, read when the job starts (a re-queued job reads them again). */
  private async fieldSetsFor(job: PruningJob): Promise<Record<string, FieldImageSet>> {
    const sets: Record<string, FieldImageSet> = {};
    if (!job.options.fieldSampleShare) return sets;
    for (const profile of job.profiles) {
      const set = await this.fieldSamples.labelledImageSet(profile, { since: job.options.fieldSampleSince });
      if (set) sets[profile] = set;
    }
    return sets;
  }

  private async storeResults(
    parent: Awaited<ReturnType<ModelsService['getVersion']>>,
    outputs: PruningWorkerOutput[],
  ): Promise<PruningJobResult[]> {
    const results: PruningJobResult[] = [];
    for (const output of outputs) {
      const version = await this.models.addDerivedVersion(parent, await readFiles(join(output.dir, 'tfjs')));
      const artifactId = await this.artifacts.create(
        'tflite',
        await readFiles(join(output.dir, 'tflite')),
        {
          profile: output.profile,
          modelVersionId: version.id,
          modelVersion: `v${version.version}-${output.profile}`,
          fits: output.fits,
          ...pick(output.report, [
            'tfliteBytes',
            'arenaBytes',
            'arenaBytes32',
            'int8TestAccuracy',
            'estimatedLatencyMs',
          ]),
        },
        async (_em, artifact) => artifact.id,
      );
      results.push({
        profile: output.profile,
        modelVersionId: version.id,
        artifactId,
        fits: output.fits,
        reasons: output.reasons,
        report: output.report,
      });
    }
    return results;
  }

  private async save(job: PruningJob, changes: Partial<PruningJob>): Promise<void> {
    Object.assign(job, changes);
    // simple-json columns hold open records, which TypeORM's deep-partial type cannot express.
    await this.jobs.update({ id: job.id }, changes as QueryDeepPartialEntity<PruningJob>);
    this.changes$.next(job);
  }
}

/** The compiled worker; under jest (TypeScript sources) the build in dist/ is used. */
function workerScript(): string {
  const beside = join(__dirname, 'pruning-worker.js');
  if (existsSync(beside)) return beside;
  const built = resolve(
    __dirname,
    '..',
    '..',
    '..',
    '..',
    'dist',
    'apps',
    'server',
    'src',
    'pruning-jobs',
    'pruning-worker.js',
  );
  if (existsSync(built)) return built;
  throw new Error('pruning worker is not built: run "npm run build"');
}

async function readFiles(dir: string): Promise<{ name: string; bytes: Uint8Array }[]> {
  const names = (await readdir(dir)).sort();
  return Promise.all(names.map(async (name) => ({ name, bytes: await readFile(join(dir, name)) })));
}

function pick(source: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((k) => source[k] !== undefined).map((k) => [k, source[k]]));
}
