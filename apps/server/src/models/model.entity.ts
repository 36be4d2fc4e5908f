import { Column, CreateDateColumn, Entity, Index, OneToMany, PrimaryColumn } from 'typeorm';
import type { ModelVersion } from './model-version.entity';

/** A named model; its uploads and pruned descendants are its versions. */
@Entity('models')
export class Model {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  id!: string;

  @Index({ unique: true })
  @Column({ type: 'varchar', length: 128 })
  name!: string;

  @Column({ type: 'varchar', length: 32, nullable: true })
  dataset!: string | null;

  @OneToMany('ModelVersion', 'model')
  versions!: ModelVersion[];

  @CreateDateColumn({ name: 'created_at' })
  createdAt!: Date;
}
