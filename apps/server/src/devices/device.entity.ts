import { Column, CreateDateColumn, Entity, Index, OneToMany, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { DeviceTag } from './device-tag.entity';

export const DEVICE_STATUSES = ['provisioned', 'online', 'offline', 'retired'] as const;
export type DeviceStatus = (typeof DEVICE_STATUSES)[number];

@Entity('devices')
export class Device {
  /** Also the device's MQTT username, client id and topic level. */
  @PrimaryColumn({ type: 'varchar', length: 64 })
  id!: string;

  @Index({ unique: true })
  @Column({ type: 'varchar', length: 128 })
  name!: string;

  @Index()
  @Column({ type: 'varchar', length: 64 })
  profile!: string;

  @Index()
  @Column({ name: 'group_name', type: 'varchar', length: 64, nullable: true })
  group!: string | null;

  @OneToMany(() => DeviceTag, (tag) => tag.device, { cascade: true, eager: true })
  tags!: DeviceTag[];

  @Index()
  @Column({ type: 'varchar', length: 16, default: 'provisioned' })
  status!: DeviceStatus;

  /** SHA-256 of the MQTT password; the password itself is shown once, at registration. */
  @Column({ name: 'credential_hash', type: 'varchar', length: 64 })
  credentialHash!: string;

  /** What the device last reported running (status or OTA result). */
  @Column({ name: 'active_artifact_id', type: 'varchar', length: 64, nullable: true })
  activeArtifactId!: string | null;

  @Column({ name: 'active_model_version', type: 'varchar', length: 64, nullable: true })
  activeModelVersion!: string | null;

  @Column({ name: 'last_seen_at', type: 'varchar', length: 32, nullable: true })
  lastSeenAt!: string | null;

  @CreateDateColumn({ name: 'created_at' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at' })
  updatedAt!: Date;
}
