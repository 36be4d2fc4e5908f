import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

export const JOB_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

/** The knobs of one pruning run, as requested (validated by the DTO). */
export interface PruningJobOptions {
  dataset: 'fashion-mnist' | 'mnist';
  targetParams?: number;
  maxDrop?: number;
  epochs: number;
  seed: number;
  scorer: 'taylor' | 'l1' | 'random';
  distill: boolean;
  /** Share of each layer's channels pruning leaves; the library's default when absent. */
  minKeepFraction?: number;
  /** Cap on training images (smaller, faster runs); all when absent. */
  trainLimit?: number;
  /**
   * Fine-tune with the profile's stored labelled field samples, mixed in at this share of
   * the training images (0 or absent: none). Set by the closed loop when it re-prunes.
   */
  fieldSampleShare?: number;
  /** Only field samples received at or after this time (epoch ms): those of the drift at hand. */
  fieldSampleSince?: number;
  /** Test images for the report's accuracies (int8 evaluation is slow); all when absent. */
  testLimit?: number;
}

/** Last progress event of a running job (what the CLI bar and dashboard show). */
export interface PruningJobProgress {
  profile: string;
  phase: string;
  step: number;
  totalSteps: number;
  params: number;
  valAccuracy?: number;
  loss?: number;
  etaSeconds: number;
}

/** One profile's outcome: the pruned model version and its deployable TFLite artifact. */
export interface PruningJobResult {
  profile: string;
  modelVersionId: string;
  artifactId: string;
  fits: boolean;
  reasons: string[];
  report: Record<string, unknown>;
}

@Entity('pruning_jobs')
export class PruningJob {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  id!: string;

  @Column({ name: 'model_version_id', type: 'varchar', length: 64 })
  modelVersionId!: string;

  @Column({ type: 'simple-json' })
  profiles!: string[];

  @Column({ type: 'simple-json' })
  options!: PruningJobOptions;

  @Index()
  @Column({ type: 'varchar', length: 16 })
  status!: JobStatus;

  @Column({ type: 'simple-json', nullable: true })
  progress!: PruningJobProgress | null;

  @Column({ type: 'simple-json' })
  results!: PruningJobResult[];

  @Column({ type: 'varchar', length: 2000, nullable: true })
  error!: string | null;

  /** How many times a run started (a job re-queued after a crash counts again). */
  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  @CreateDateColumn({ name: 'created_at' })
  createdAt!: Date;

  @Column({ name: 'started_at', type: 'varchar', length: 32, nullable: true })
  startedAt!: string | null;

  @Column({ name: 'finished_at', type: 'varchar', length: 32, nullable: true })
  finishedAt!: string | null;
}
