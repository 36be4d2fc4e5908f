import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { loadLayersModel, ModelFile, parseLayersModelFiles } from '@fleetprune/tfjs-runtime';
import { Repository } from 'typeorm';
import { ArtifactsService } from '../artifacts/artifacts.service';
import { AppError } from '../errors/app-error';
import { ModelVersion } from './model-version.entity';
import { Model } from './model.entity';

export interface UploadModelInput {
  name: string;
  dataset?: string;
  files: ModelFile[];
}

/** Models and their versions; every version's files are a 'tfjs-model' artifact. */
@Injectable()
export class ModelsService {
  constructor(
    @InjectRepository(Model) private readonly models: Repository<Model>,
    @InjectRepository(ModelVersion) private readonly versions: Repository<ModelVersion>,
    private readonly artifacts: ArtifactsService,
  ) {}

  /** Stores an uploaded model as the next version of the model named `input.name`. */
  async upload(input: UploadModelInput): Promise<{ model: Model; version: ModelVersion }> {
    return this.storeVersion({ name: input.name, dataset: input.dataset }, input.files, null);
  }

  /** Stores a model derived from `parent` (e.g. pruned) as the next version of the same model. */
  async addDerivedVersion(parent: ModelVersion, files: ModelFile[]): Promise<ModelVersion> {
    const model = await this.get(parent.modelId);
    return (await this.storeVersion({ name: model.name }, files, parent.id)).version;
  }

  /**
   * Validates a TensorFlow.js Layers model (structure, weights, and that TensorFlow.js can
   * build it) and stores it as the next version of the model named `target.name`.
   */
  private async storeVersion(
    target: { name: string; dataset?: string },
    uploaded: ModelFile[],
    parentVersionId: string | null,
  ): Promise<{ model: Model; version: ModelVersion }> {
    const parsed = parseLayersModelFiles(uploaded);
    const built = await loadLayersModel(parsed);
    const inputShape = shapeOf(built.inputs[0].shape);
    const outputShape = shapeOf(built.outputs[0].shape);
    const paramCount = built.countParams();
    built.dispose();
    // Stored in one canonical layout whatever the upload's file names and sharding were.
    const modelJson = {
      ...parsed.modelJson,
      weightsManifest: [{ paths: ['weights.bin'], weights: parsed.weightSpecs }],
    };
    const files = [
      { name: 'model.json', bytes: Buffer.from(JSON.stringify(modelJson)) },
      { name: 'weights.bin', bytes: parsed.weightData },
    ];
    return this.artifacts.create(
      'tfjs-model',
      files,
      { modelName: target.name, layerClasses: parsed.layerClasses, paramCount },
      async (em, artifact) => {
        let model = await em.findOneBy(Model, { name: target.name });
        if (!model) {
          model = em.create(Model, { id: randomUUID(), name: target.name, dataset: target.dataset ?? null });
          await em.insert(Model, model);
        }
        const latest = await em.findOne(ModelVersion, {
          where: { modelId: model.id },
          order: { version: 'DESC' },
        });
        const version = em.create(ModelVersion, {
          id: randomUUID(),
          modelId: model.id,
          version: (latest?.version ?? 0) + 1,
          artifactId: artifact.id,
          inputShape,
          outputShape,
          paramCount,
          layerClasses: parsed.layerClasses,
          parentVersionId,
        });
        await em.insert(ModelVersion, version);
        return { model, version };
      },
    );
  }

  /** The newest version of a model. */
  async latestVersion(modelId: string): Promise<ModelVersion> {
    const model = await this.get(modelId);
    const latest = model.versions[model.versions.length - 1];
    if (!latest) throw new AppError('CONFLICT', `model ${modelId} has no versions`);
    return latest;
  }

  list(): Promise<Model[]> {
    return this.models.find({
      relations: { versions: true },
      order: { name: 'ASC', versions: { version: 'ASC' } },
    });
  }

  async get(id: string): Promise<Model> {
    const model = await this.models.findOne({
      where: { id },
      relations: { versions: true },
      order: { versions: { version: 'ASC' } },
    });
    if (!model) throw AppError.notFound('model', id);
    return model;
  }

  async getVersion(id: string): Promise<ModelVersion> {
    const version = await this.versions.findOneBy({ id });
    if (!version) throw AppError.notFound('model version', id);
    return version;
  }
}

function shapeOf(shape: (number | null)[]): number[] {
  return shape.map((d) => d ?? -1);
}
