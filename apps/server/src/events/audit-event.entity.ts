import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { EventType } from './event-types';
import { BIGINT_COLUMN } from '../database/bigint-column';

/** One recorded decision with the evidence it was taken on; never updated. */
@Entity('events')
export class AuditEvent {
  @PrimaryGeneratedColumn()
  id!: number;

  /** Server clock, ms since the epoch. */
  @Index()
  @Column({ name: 'at', ...BIGINT_COLUMN })
  at!: number;

  @Index()
  @Column({ type: 'varchar', length: 32 })
  type!: EventType;

  @Index()
  @Column({ type: 'varchar', length: 64, nullable: true })
  profile!: string | null;

  /** What the decision is about, e.g. `rollout:<id>` or `remediation:<id>`. */
  @Index()
  @Column({ type: 'varchar', length: 100, nullable: true })
  subject!: string | null;

  @Column({ type: 'varchar', length: 1000 })
  message!: string;

  /** Counts, bounds, versions: whatever the decision rested on. */
  @Column({ type: 'simple-json' })
  evidence!: Record<string, unknown>;
}
