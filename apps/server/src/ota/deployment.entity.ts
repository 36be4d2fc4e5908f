import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

export const DEPLOYMENT_STATUSES = ['active', 'completed', 'failed', 'cancelled'] as const;
/** `completed`: every device activated; `failed`: all sessions ended, some not activated. */
export type DeploymentStatus = (typeof DEPLOYMENT_STATUSES)[number];

/** One artifact assigned to a set of devices; each device gets its own OTA session. */
@Entity('deployments')
export class Deployment {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  id!: string;

  @Index()
  @Column({ name: 'artifact_id', type: 'varchar', length: 64 })
  artifactId!: string;

  @Column({ name: 'model_version', type: 'varchar', length: 64 })
  modelVersion!: string;

  /** As the operator wrote it: device:<id>, group:<name>, tag:<name> or profile:<name>. */
  @Column({ type: 'varchar', length: 200 })
  target!: string;

  @Index()
  @Column({ type: 'varchar', length: 16 })
  status!: DeploymentStatus;

  @Column({ name: 'chunk_size', type: 'integer' })
  chunkSize!: number;

  /** Devices downloading at once, so a rollout does not saturate the broker or the uplink. */
  @Column({ name: 'max_concurrent', type: 'integer' })
  maxConcurrent!: number;

  /** Offers per device before its session fails (a timeout or a transient failure retries). */
  @Column({ name: 'max_attempts', type: 'integer' })
  maxAttempts!: number;

  /** A paused deployment offers no new downloads; those under way finish. */
  @Column({ type: 'boolean', default: false })
  paused!: boolean;

  @Column({ type: 'integer' })
  size!: number;

  @Column({ type: 'varchar', length: 64 })
  sha256!: string;

  @Column({ type: 'varchar', length: 256 })
  signature!: string;

  @CreateDateColumn({ name: 'created_at' })
  createdAt!: Date;

  @Column({ name: 'finished_at', type: 'varchar', length: 32, nullable: true })
  finishedAt!: string | null;
}
