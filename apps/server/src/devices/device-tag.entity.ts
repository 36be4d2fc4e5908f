import { Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import type { Device } from './device.entity';

/** One tag of one device; a table of its own so "devices with tag X" is an indexed query. */
@Entity('device_tags')
export class DeviceTag {
  @PrimaryColumn({ name: 'device_id', type: 'varchar', length: 64 })
  deviceId!: string;

  @Index()
  @PrimaryColumn({ type: 'varchar', length: 64 })
  tag!: string;

  @ManyToOne('Device', 'tags', { onDelete: 'CASCADE', orphanedRowAction: 'delete' })
  @JoinColumn({ name: 'device_id' })
  device!: Device;
}
