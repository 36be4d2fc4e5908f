import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import { BIGINT_COLUMN } from '../database/bigint-column';

/** What a class of device offers a model: the budgets pruning and deployment check against. */
@Entity('device_profiles')
export class DeviceProfile {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  name!: string;

  @Column({ type: 'varchar', length: 256 })
  description!: string;

  /** Flash (or storage) available to one model slot, in bytes. */
  @Column({ name: 'flash_bytes', type: 'integer' })
  flashBytes!: number;

  /** RAM available to the tensor arena, in bytes. */
  @Column({ name: 'ram_bytes', type: 'integer' })
  ramBytes!: number;

  @Column({ name: 'clock_mhz', type: 'integer' })
  clockMhz!: number;

  /** Sustained int8 multiply-accumulates per second, for latency estimates (MACs / this). */
  @Column({ name: 'macs_per_second', ...BIGINT_COLUMN })
  macsPerSecond!: number;

  @Column({ name: 'latency_budget_ms', type: 'integer' })
  latencyBudgetMs!: number;

  @Column({ name: 'supported_ops', type: 'simple-json' })
  supportedOps!: string[];

  @Column({ type: 'varchar', length: 16 })
  runtime!: 'tflite-micro' | 'tflite';

  @Column({ type: 'boolean', default: false })
  builtin!: boolean;

  @CreateDateColumn({ name: 'created_at' })
  createdAt!: Date;
}
