import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { TfjsRuntimeError } from '../tfjs-runtime-error';
import { LayersModelFiles, ModelFile, parseLayersModelFiles } from './layers-model-files';

/** Reads model.json and the weight files it names from disk (tfjs-node's file:// without tfjs-node). */
export async function readLayersModelFiles(modelJsonPath: string): Promise<LayersModelFiles> {
  let json: Buffer;
  try {
    json = await readFile(modelJsonPath);
  } catch (error) {
    throw new TfjsRuntimeError(
      'INVALID_MODEL_FILES',
      `cannot read ${modelJsonPath}: ${(error as Error).message}`,
    );
  }
  const files: ModelFile[] = [{ name: basename(modelJsonPath), bytes: json }];
  const paths = weightPaths(json);
  for (const path of paths) {
    try {
      files.push({ name: path, bytes: await readFile(join(dirname(modelJsonPath), path)) });
    } catch {
      // parseLayersModelFiles names the missing file.
    }
  }
  return parseLayersModelFiles(files);
}

/** Builds the Layers model; unknown layer classes and shape mismatches become typed errors. */
export async function loadLayersModel(files: LayersModelFiles): Promise<tfl.LayersModel> {
  const artifacts: tf.io.ModelArtifacts = {
    modelTopology: files.modelTopology as tf.io.ModelArtifacts['modelTopology'],
    weightSpecs: files.weightSpecs,
    weightData: files.weightData.slice().buffer,
  };
  try {
    return await tfl.loadLayersModel(tf.io.fromMemory(artifacts));
  } catch (error) {
    throw new TfjsRuntimeError(
      'INVALID_MODEL_FILES',
      `TensorFlow.js cannot build this model: ${(error as Error).message}`,
    );
  }
}

/** Serialises a model to model.json + one weights.bin, in memory. */
export async function serializeLayersModel(model: tfl.LayersModel): Promise<ModelFile[]> {
  let files: ModelFile[] = [];
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weights = new Uint8Array(artifacts.weightData as ArrayBuffer);
      const modelJson = {
        format: 'layers-model',
        generatedBy: `TensorFlow.js tfjs-layers v${tfl.version_layers}`,
        convertedBy: null,
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs }],
      };
      files = [
        { name: 'model.json', bytes: Buffer.from(JSON.stringify(modelJson)) },
        { name: 'weights.bin', bytes: weights },
      ];
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  return files;
}

/** Writes a model to `dir` atomically (a temp dir renamed into place). */
export async function saveLayersModel(model: tfl.LayersModel, dir: string): Promise<void> {
  const files = await serializeLayersModel(model);
  const tmp = `${dir}.tmp-${process.pid}`;
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp, { recursive: true });
  for (const file of files) await writeFile(join(tmp, file.name), file.bytes);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dirname(dir), { recursive: true });
  await rename(tmp, dir);
}

function weightPaths(json: Buffer): string[] {
  try {
    const parsed = JSON.parse(json.toString('utf8')) as { weightsManifest?: { paths?: unknown[] }[] };
    return (parsed.weightsManifest ?? []).flatMap((g) =>
      (g.paths ?? []).filter((p): p is string => typeof p === 'string'),
    );
  } catch {
    return [];
  }
}
