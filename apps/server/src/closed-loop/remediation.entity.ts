import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

export const REMEDIATION_STATES = [
  'sampling', // drift detected; devices asked for field samples
  'repruning', // a pruning job is making the candidate
  'canary', // the candidate runs on a share of the devices
  'promoting', // the candidate goes to the rest
  'completed',
  'rolled_back',
  'failed',
] as const;
export type RemediationState = (typeof REMEDIATION_STATES)[number];

/** States in which a remediation still has work to do. */
export const OPEN_REMEDIATION_STATES: readonly RemediationState[] = [
  'sampling',
  'repruning',
  'canary',
  'promoting',
];

/**
 * One run of the closed loop for a profile: from detected drift to a promoted or rolled-back
 * candidate. Every step is stored, so a restart continues where it stopped.
 */
@Entity('remediations')
export class Remediation {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  id!: string;

  @Index()
  @Column({ type: 'varchar', length: 64 })
  profile!: string;

  @Index()
  @Column({ type: 'varchar', length: 16 })
  state!: RemediationState;

  @Column({ name: 'incumbent_artifact_id', type: 'varchar', length: 64 })
  incumbentArtifactId!: string;

  @Column({ name: 'incumbent_model_version', type: 'varchar', length: 64 })
  incumbentModelVersion!: string;

  @Column({ name: 'candidate_artifact_id', type: 'varchar', length: 64, nullable: true })
  candidateArtifactId!: string | null;

  @Column({ name: 'pruning_job_id', type: 'varchar', length: 64, nullable: true })
  pruningJobId!: string | null;

  @Column({ name: 'rollout_id', type: 'varchar', length: 64, nullable: true })
  rolloutId!: string | null;

  /** The drift check that opened this run. */
  @Column({ type: 'simple-json' })
  evidence!: Record<string, unknown>;

  /** The last canary comparison (while waiting, and the one that decided). */
  @Column({ name: 'canary_evidence', type: 'simple-json', nullable: true })
  canaryEvidence!: Record<string, unknown> | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  detail!: string | null;

  @CreateDateColumn({ name: 'created_at' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'varchar', length: 32 })
  updatedAt!: string;

  @Column({ name: 'finished_at', type: 'varchar', length: 32, nullable: true })
  finishedAt!: string | null;
}
