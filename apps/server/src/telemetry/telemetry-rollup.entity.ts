import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { BIGINT_COLUMN } from '../database/bigint-column';

const DOUBLE = { type: 'double precision' as const };

/** Column names of the ten confidence-histogram bins (one column each, so the upsert can add them). */
export const CONFIDENCE_COLUMNS = Array.from({ length: 10 }, (_, i) => `confidence_${i}`);

/**
 * Totals of the windows one device sent about one artifact in one time bucket (server clock
 * at ingestion). Written in the transaction that stores the raw windows and kept longer.
 */
@Entity('telemetry_rollups')
@Index(['bucketStart', 'deviceId', 'artifactId'], { unique: true })
@Index(['deviceId', 'bucketStart'])
@Index(['artifactId', 'bucketStart'])
@Index(['profile', 'bucketStart'])
export class TelemetryRollupRow {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ name: 'bucket_start', ...BIGINT_COLUMN })
  bucketStart!: number;

  @Column({ name: 'device_id', type: 'varchar', length: 64 })
  deviceId!: string;

  @Column({ name: 'artifact_id', type: 'varchar', length: 64 })
  artifactId!: string;

  /** The device's profile when the windows arrived. */
  @Column({ type: 'varchar', length: 64 })
  profile!: string;

  @Column({ name: 'model_version', type: 'varchar', length: 64 })
  modelVersion!: string;

  @Column({ ...BIGINT_COLUMN })
  windows!: number;

  @Column({ ...BIGINT_COLUMN })
  samples!: number;

  @Column({ ...BIGINT_COLUMN })
  labelled!: number;

  @Column({ ...BIGINT_COLUMN })
  correct!: number;

  /** Sum over windows of latencyMeanMs x samples. */
  @Column({ name: 'latency_sum_ms', ...DOUBLE })
  latencySumMs!: number;

  @Column({ name: 'latency_p95_max_ms', ...DOUBLE })
  latencyP95MaxMs!: number;

  @Column({ name: 'arena_max_bytes', ...BIGINT_COLUMN })
  arenaMaxBytes!: number;

  @Column({ name: 'confidence_0', ...BIGINT_COLUMN }) c0!: number;
  @Column({ name: 'confidence_1', ...BIGINT_COLUMN }) c1!: number;
  @Column({ name: 'confidence_2', ...BIGINT_COLUMN }) c2!: number;
  @Column({ name: 'confidence_3', ...BIGINT_COLUMN }) c3!: number;
  @Column({ name: 'confidence_4', ...BIGINT_COLUMN }) c4!: number;
  @Column({ name: 'confidence_5', ...BIGINT_COLUMN }) c5!: number;
  @Column({ name: 'confidence_6', ...BIGINT_COLUMN }) c6!: number;
  @Column({ name: 'confidence_7', ...BIGINT_COLUMN }) c7!: number;
  @Column({ name: 'confidence_8', ...BIGINT_COLUMN }) c8!: number;
  @Column({ name: 'confidence_9', ...BIGINT_COLUMN }) c9!: number;
}
