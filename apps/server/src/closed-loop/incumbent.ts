import { EntityManager } from 'typeorm';
import { Artifact } from '../artifacts/artifact.entity';
import { Device } from '../devices/device.entity';

/** The model most of a profile's devices run: what the drift policy watches. */
export interface Incumbent {
  artifactId: string;
  modelVersion: string;
  /** Its TF.js model version (absent for a .tflite uploaded on its own: it cannot be re-pruned). */
  modelVersionId: string | undefined;
  devices: number;
}

/** The artifact active on the most non-retired devices of `profile`, if any runs one. */
export async function findIncumbent(em: EntityManager, profile: string): Promise<Incumbent | undefined> {
  const top = await em
    .createQueryBuilder(Device, 'd')
    .select('d.active_artifact_id', 'artifactId')
    .addSelect('COUNT(*)', 'n')
    .where('d.profile = :profile', { profile })
    .andWhere("d.status != 'retired'")
    .andWhere('d.active_artifact_id IS NOT NULL')
    .groupBy('d.active_artifact_id')
    .orderBy('n', 'DESC')
    .addOrderBy('d.active_artifact_id', 'ASC')
    .limit(1)
    .getRawOne<{ artifactId: string; n: string | number }>();
  if (!top) return undefined;
  const artifact = await em.findOneBy(Artifact, { id: top.artifactId });
  const metadata = artifact?.metadata ?? {};
  return {
    artifactId: top.artifactId,
    modelVersion: typeof metadata.modelVersion === 'string' ? metadata.modelVersion : top.artifactId,
    modelVersionId: typeof metadata.modelVersionId === 'string' ? metadata.modelVersionId : undefined,
    devices: Number(top.n),
  };
}
