import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

export const ARTIFACT_KINDS = ['tfjs-model', 'tflite', 'c-array', 'report', 'firmware'] as const;
export type ArtifactKind = (typeof ARTIFACT_KINDS)[number];

export interface ArtifactFile {
  name: string;
  bytes: number;
  sha256: string;
}

/** Files on disk under DATA_DIR/artifacts/<id>/, described here; immutable once written. */
@Entity('artifacts')
export class Artifact {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  id!: string;

  @Index()
  @Column({ type: 'varchar', length: 16 })
  kind!: ArtifactKind;

  @Column({ type: 'simple-json' })
  files!: ArtifactFile[];

  /** Sum of the files' sizes. */
  @Column({ type: 'integer' })
  bytes!: number;

  /** Free-form facts about the artifact (ops, arena bytes, source model version...). */
  @Column({ type: 'simple-json' })
  metadata!: Record<string, unknown>;

  @CreateDateColumn({ name: 'created_at' })
  createdAt!: Date;
}
