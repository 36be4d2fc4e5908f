import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

export const ROLLOUT_STATUSES = ['running', 'paused', 'completed', 'aborted', 'rolled_back'] as const;
/**
 * `running`: a stage is downloading, or waiting to be advanced (by hand or by the closed
 * loop when `autoAdvance` is off); `paused`: by an operator or because a stage had failures.
 */
export type RolloutStatus = (typeof ROLLOUT_STATUSES)[number];

/** Who drives a rollout: an operator, or the closed loop's canary. */
export type RolloutKind = 'manual' | 'canary';

/**
 * An artifact rolled out to a fixed set of devices in stages (cumulative percentages); each
 * started stage is one deployment. The devices and what each ran before are fixed when the
 * rollout is created, so a rollback knows where to return.
 */
@Entity('rollouts')
export class Rollout {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  id!: string;

  @Column({ name: 'artifact_id', type: 'varchar', length: 64 })
  artifactId!: string;

  @Column({ name: 'model_version', type: 'varchar', length: 64 })
  modelVersion!: string;

  @Column({ type: 'varchar', length: 200 })
  target!: string;

  @Column({ type: 'varchar', length: 16 })
  kind!: RolloutKind;

  /** Cumulative percentages of the devices, ascending, the last one 100. */
  @Column({ type: 'simple-json' })
  stages!: number[];

  /** The stage under way (index into `stages`). */
  @Column({ name: 'stage_index', type: 'integer' })
  stageIndex!: number;

  @Index()
  @Column({ type: 'varchar', length: 16 })
  status!: RolloutStatus;

  /** Start the next stage as soon as one completes; off for canaries and hand-gated rollouts. */
  @Column({ name: 'auto_advance', type: 'boolean' })
  autoAdvance!: boolean;

  /** Devices in rollout order: stage k covers the first ceil(stages[k]% x n). */
  @Column({ name: 'device_ids', type: 'simple-json' })
  deviceIds!: string[];

  /** The artifact each device ran when the rollout was created (null: none). */
  @Column({ name: 'previous_artifacts', type: 'simple-json' })
  previousArtifacts!: Record<string, string | null>;

  /** One deployment per started stage. */
  @Column({ name: 'deployment_ids', type: 'simple-json' })
  deploymentIds!: string[];

  /** Deployments that put the previous artifacts back. */
  @Column({ name: 'rollback_deployment_ids', type: 'simple-json' })
  rollbackDeploymentIds!: string[];

  @Column({ name: 'max_concurrent', type: 'integer' })
  maxConcurrent!: number;

  /** Why the rollout paused, stopped or rolled back. */
  @Column({ type: 'varchar', length: 500, nullable: true })
  reason!: string | null;

  @CreateDateColumn({ name: 'created_at' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'varchar', length: 32 })
  updatedAt!: string;

  @Column({ name: 'finished_at', type: 'varchar', length: 32, nullable: true })
  finishedAt!: string | null;
}
