import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { SampleDtype } from '@fleetprune/protocol';
import { BIGINT_COLUMN } from '../database/bigint-column';

/**
 * One field sample's metadata. The tensor bytes live in the same row's `data` column (blob on
 * SQLite, bytea on PostgreSQL), which is not mapped here: TypeORM has no binary column type
 * both drivers accept, so FieldSampleStore reads and writes it with plain SQL.
 */
@Entity('field_samples')
@Index(['profile', 'receivedAt'])
export class FieldSampleRow {
  @PrimaryGeneratedColumn()
  id!: number;

  @Index()
  @Column({ name: 'device_id', type: 'varchar', length: 64 })
  deviceId!: string;

  /** The device's profile when the sample arrived. */
  @Column({ type: 'varchar', length: 64 })
  profile!: string;

  @Column({ name: 'artifact_id', type: 'varchar', length: 64 })
  artifactId!: string;

  @Column({ name: 'model_version', type: 'varchar', length: 64 })
  modelVersion!: string;

  /** True class when the device knew it; null for unlabelled inputs. */
  @Column({ type: 'integer', nullable: true })
  label!: number | null;

  @Column({ type: 'integer' })
  predicted!: number;

  @Column({ type: 'real' })
  confidence!: number;

  @Column({ type: 'simple-json' })
  shape!: number[];

  @Column({ type: 'varchar', length: 8 })
  dtype!: SampleDtype;

  @Column({ name: 'captured_at', ...BIGINT_COLUMN })
  capturedAt!: number;

  @Column({ name: 'received_at', ...BIGINT_COLUMN })
  receivedAt!: number;
}
