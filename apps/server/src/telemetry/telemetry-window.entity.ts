import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** Epoch milliseconds and u32 counters exceed PostgreSQL's integer; stored as bigint, read as number. */
const BIGINT = {
  type: 'bigint' as const,
  transformer: { to: (v: number) => v, from: (v: string | number) => Number(v) },
};

/** One telemetry window as a device sent it (raw rows, kept for TELEMETRY_RAW_RETENTION_H). */
@Entity('telemetry_windows')
@Index(['deviceId', 'seq'], { unique: true })
@Index(['artifactId', 'windowEnd'])
export class TelemetryWindowRow {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ name: 'device_id', type: 'varchar', length: 64 })
  deviceId!: string;

  @Column({ name: 'seq', ...BIGINT })
  seq!: number;

  @Column({ name: 'artifact_id', type: 'varchar', length: 64 })
  artifactId!: string;

  @Column({ name: 'model_version', type: 'varchar', length: 64 })
  modelVersion!: string;

  @Column({ name: 'window_start', ...BIGINT })
  windowStart!: number;

  @Index()
  @Column({ name: 'window_end', ...BIGINT })
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

  @Column({ name: 'arena_used_bytes', ...BIGINT })
  arenaUsedBytes!: number;

  /** Server clock when the window arrived (devices without a clock send 0 times). */
  @Index('IDX_telemetry_windows_received_at')
  @Column({ name: 'received_at', ...BIGINT })
  receivedAt!: number;
}
