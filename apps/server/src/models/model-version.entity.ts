import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import type { Model } from './model.entity';

/** One immutable version of a model: a TensorFlow.js Layers model stored as an artifact. */
@Entity('model_versions')
@Index(['modelId', 'version'], { unique: true })
export class ModelVersion {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  id!: string;

  @Column({ name: 'model_id', type: 'varchar', length: 64 })
  modelId!: string;

  @ManyToOne('Model', 'versions', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'model_id' })
  model!: Model;

  @Column({ type: 'integer' })
  version!: number;

  /** The tfjs-model artifact holding model.json and weights. */
  @Column({ name: 'artifact_id', type: 'varchar', length: 64 })
  artifactId!: string;

  @Column({ name: 'input_shape', type: 'simple-json' })
  inputShape!: number[];

  @Column({ name: 'output_shape', type: 'simple-json' })
  outputShape!: number[];

  @Column({ name: 'param_count', type: 'integer' })
  paramCount!: number;

  @Column({ name: 'layer_classes', type: 'simple-json' })
  layerClasses!: string[];

  /** The version this one was derived from (pruning), if any. */
  @Column({ name: 'parent_version_id', type: 'varchar', length: 64, nullable: true })
  parentVersionId!: string | null;

  @CreateDateColumn({ name: 'created_at' })
  createdAt!: Date;
}
