import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export const OTA_SESSION_STATES = [
  'pending', // waiting for the device to be online and a download slot
  'offered', // retained offer published, no chunk requested yet
  'downloading',
  'verifying', // every byte served; the device checks hash and signature, writes, activates
  'activated',
  'refused', // the device (or the server's profile check) declined before download
  'failed',
  'rolled_back',
  'cancelled',
] as const;
export type OtaSessionState = (typeof OTA_SESSION_STATES)[number];

/** States after which nothing more happens to a session. */
export const FINAL_SESSION_STATES: readonly OtaSessionState[] = [
  'activated',
  'refused',
  'failed',
  'rolled_back',
  'cancelled',
];

/** States that hold one of the deployment's concurrent download slots. */
export const IN_FLIGHT_SESSION_STATES: readonly OtaSessionState[] = ['offered', 'downloading', 'verifying'];

/** One device's part of a deployment, persisted so a server restart continues it. */
@Entity('ota_sessions')
@Index(['deviceId', 'state'])
export class OtaSession {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  id!: string;

  @Index()
  @Column({ name: 'deployment_id', type: 'varchar', length: 64 })
  deploymentId!: string;

  @Column({ name: 'device_id', type: 'varchar', length: 64 })
  deviceId!: string;

  /** The protocol session number of the current offer (1 .. 2^31-1); 0 before the first offer. */
  @Column({ type: 'integer', default: 0 })
  session!: number;

  @Column({ type: 'varchar', length: 16 })
  state!: OtaSessionState;

  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  /** Distinct artifact bytes served in the current attempt: the download progress. */
  @Column({ name: 'bytes_served', type: 'integer', default: 0 })
  bytesServed!: number;

  /** Protocol failure reason (TOO_LARGE, HASH_MISMATCH...) or a server one (PROFILE_MISMATCH...). */
  @Column({ type: 'varchar', length: 32, nullable: true })
  reason!: string | null;

  @Column({ type: 'varchar', length: 300, nullable: true })
  detail!: string | null;

  @Column({ name: 'updated_at', type: 'varchar', length: 32 })
  updatedAt!: string;

  @Column({ name: 'finished_at', type: 'varchar', length: 32, nullable: true })
  finishedAt!: string | null;
}
