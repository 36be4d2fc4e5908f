import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/**
 * What field accuracy a profile must keep, how confident the server must be before acting,
 * and how it re-prunes and canaries when the accuracy drifts. One policy per profile.
 */
@Entity('drift_policies')
export class DriftPolicy {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  profile!: string;

  @Column({ type: 'boolean' })
  enabled!: boolean;

  @Column({ name: 'target_accuracy', type: 'real' })
  targetAccuracy!: number;

  /** Telemetry considered, seconds back from now. */
  @Column({ name: 'window_s', type: 'integer' })
  windowS!: number;

  /** Labelled samples needed in the window before any verdict. */
  @Column({ name: 'min_samples', type: 'integer' })
  minSamples!: number;

  /** One-sided confidence of every bound (drift and canary), e.g. 0.95. */
  @Column({ type: 'real' })
  confidence!: number;

  /** Quiet time after a remediation ends before the profile is checked again. */
  @Column({ name: 'cooldown_s', type: 'integer' })
  cooldownS!: number;

  /** The re-pruned model keeps this many times the incumbent's share of the dense parameters. */
  @Column({ name: 'reprune_relax', type: 'real' })
  repruneRelax!: number;

  @Column({ name: 'reprune_epochs', type: 'real' })
  repruneEpochs!: number;

  @Column({ name: 'reprune_train_limit', type: 'integer', nullable: true })
  repruneTrainLimit!: number | null;

  @Column({ name: 'reprune_test_limit', type: 'integer', nullable: true })
  repruneTestLimit!: number | null;

  /** Share of fine-tuning images drawn from field samples (0: do not ask devices for samples). */
  @Column({ name: 'field_sample_share', type: 'real' })
  fieldSampleShare!: number;

  /** Samples asked of each device per request while sampling (one request per tick). */
  @Column({ name: 'samples_per_device', type: 'integer' })
  samplesPerDevice!: number;

  /** How long the devices get to upload before re-pruning starts. */
  @Column({ name: 'sample_wait_s', type: 'integer' })
  sampleWaitS!: number;

  /** Share of the profile's devices that get the candidate first. */
  @Column({ name: 'canary_share', type: 'real' })
  canaryShare!: number;

  @Column({ name: 'canary_min_samples', type: 'integer' })
  canaryMinSamples!: number;

  /** Non-inferiority margin: the candidate may be at most this much less accurate. */
  @Column({ name: 'canary_margin', type: 'real' })
  canaryMargin!: number;

  /** A canary still undecided after this long is rolled back. */
  @Column({ name: 'canary_timeout_s', type: 'integer' })
  canaryTimeoutS!: number;

  @CreateDateColumn({ name: 'created_at' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'varchar', length: 32 })
  updatedAt!: string;
}
