import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { BIGINT_COLUMN } from '../database/bigint-column';

/** One telemetry window as a device sent it (raw rows, kept for TELEMETRY_RAW_RETENTION_H). */
@Entity('telemetry_windows')
@Index(['deviceId', 'seq'], { unique: true })
@Index(['artifactId', 'windowEnd'])
export class TelemetryWindowRow {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ name: 'device_id', type: 'varchar', length: 64 })
  deviceId!: string;

  @Column({ name: 'seq', ...BIGINT_COLUMN })
  seq!: number;

  @Column({ name: 'artifact_id', type: 'varchar', length: 64 })
  artifactId!: string;

  @Column({ name: 'model_version', type: 'varchar', length: 64 })
  modelVersion!: string;

  @Column({ name: 'window_start', ...BIGINT_COLUMN })
  windowStart!: number;

  @Index()
  @Column({ name: 'window_end', ...BIGINT_COLUMN })
  windowEnd!: number;

  @Column({ type: 'integer' })
  samples!: number;

  @Column({ type: 'integer' })
  labelled!: number;

  @Column({ type: 'integer' })
  correct!: number;

  @Column({ name: 'confidence_histogram', type: 'simple-json' })
  confidenceHistogram!: number[];

  @Column({ name: 'latency_mean_ms', type: 'real' })
  latencyMeanMs!: number;

  @Column({ name: 'latency_p95_ms', type: 'real' })
  latencyP95Ms!: number;

  @Column({ name: 'arena_used_bytes', ...BIGINT_COLUMN })
  arenaUsedBytes!: number;

  /** Server clock when the window arrived (devices without a clock send 0 times). */
  @Index('IDX_telemetry_windows_received_at')
  @Column({ name: 'received_at', ...BIGINT_COLUMN })
  receivedAt!: number;
}
