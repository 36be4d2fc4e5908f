import { TfjsRuntimeError } from '../tfjs-runtime-error';

/** One uploaded or on-disk file of a TensorFlow.js Layers model. */
export interface ModelFile {
  name: string;
  bytes: Uint8Array;
}

export interface WeightSpec {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32';
}

/** A model.json whose structure and weight files were checked against each other. */
export interface LayersModelFiles {
  modelJson: Record<string, unknown>;
  modelTopology: Record<string, unknown>;
  weightSpecs: WeightSpec[];
  /** All weight bytes concatenated in manifest order (what tf.io.fromMemory expects). */
  weightData: Uint8Array;
  /** Layer class names in model order, e.g. ['Conv2D', 'BatchNormalization', ...]. */
  layerClasses: string[];
  paramCount: number;
}

/** Hostile-input limits: a model.json is small; weights for an MCU-sized model are too. */
export const MODEL_FILE_LIMITS = {
  maxModelJsonBytes: 8 * 1024 * 1024,
  maxWeightBytes: 512 * 1024 * 1024,
  maxFiles: 256,
};

const BYTES_PER_ELEMENT = { float32: 4, int32: 4 } as const;
const SAFE_FILE_NAME = /^[A-Za-z0-9._-]{1,128}$/;

function fail(detail: string): never {
  throw new TfjsRuntimeError('INVALID_MODEL_FILES', detail);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Checks a Layers model's files (model.json plus the weight files its manifest names) and
 * joins the weights. Every problem is a TfjsRuntimeError('INVALID_MODEL_FILES') naming it.
 */
export function parseLayersModelFiles(files: readonly ModelFile[]): LayersModelFiles {
  if (files.length > MODEL_FILE_LIMITS.maxFiles)
    fail(`too many files (${files.length}, limit ${MODEL_FILE_LIMITS.maxFiles})`);
  const jsonFiles = files.filter((f) => f.name.endsWith('.json'));
  if (jsonFiles.length !== 1) fail(`expected exactly one model.json, got ${jsonFiles.length} .json files`);
  const jsonFile = jsonFiles[0];
  if (jsonFile.bytes.length > MODEL_FILE_LIMITS.maxModelJsonBytes)
    fail(`${jsonFile.name} is larger than 8 MiB`);
  let modelJson: unknown;
  try {
    modelJson = JSON.parse(Buffer.from(jsonFile.bytes).toString('utf8'));
  } catch (error) {
    fail(`${jsonFile.name} is not valid JSON (${(error as Error).message})`);
  }
  if (!isRecord(modelJson)) fail(`${jsonFile.name} must contain a JSON object`);
  if (modelJson.format !== undefined && modelJson.format !== 'layers-model') {
    fail(
      `format is ${JSON.stringify(modelJson.format)}; only TensorFlow.js "layers-model" files are supported (convert graph models with tensorflowjs_converter --output_format tfjs_layers_model)`,
    );
  }
  const topology = modelJson.modelTopology;
  if (!isRecord(topology)) fail('modelTopology is missing: is this a TensorFlow.js Layers model.json?');
  const layerClasses = readLayerClasses(topology);
  const manifest = modelJson.weightsManifest;
  if (!Array.isArray(manifest)) fail('weightsManifest is missing or not an array');

  const byName = new Map(files.map((f) => [f.name, f]));
  const weightSpecs: WeightSpec[] = [];
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (const [g, group] of manifest.entries()) {
    if (!isRecord(group) || !Array.isArray(group.paths) || !Array.isArray(group.weights)) {
      fail(`weightsManifest[${g}] must have "paths" and "weights" arrays`);
    }
    let expected = 0;
    for (const weight of group.weights) {
      const spec = readWeightSpec(weight, g);
      weightSpecs.push(spec);
      expected += spec.shape.reduce((a, b) => a * b, 1) * BYTES_PER_ELEMENT[spec.dtype];
    }
    let actual = 0;
    for (const path of group.paths) {
      if (typeof path !== 'string' || !SAFE_FILE_NAME.test(path))
        fail(`weight path ${JSON.stringify(path)} is not a plain file name`);
      const file = byName.get(path);
      if (!file) fail(`weight file ${path} named in weightsManifest[${g}] was not provided`);
      chunks.push(file.bytes);
      actual += file.bytes.length;
    }
    if (actual !== expected) {
      fail(
        `weightsManifest[${g}] declares ${expected} bytes of weights but its files hold ${actual}: the files are truncated or do not belong to this model.json`,
      );
    }
    total += actual;
    if (total > MODEL_FILE_LIMITS.maxWeightBytes) fail('weights exceed 512 MiB');
  }
  const weightData = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    weightData.set(chunk, offset);
    offset += chunk.length;
  }
  const paramCount = weightSpecs.reduce((sum, w) => sum + w.shape.reduce((a, b) => a * b, 1), 0);
  return { modelJson, modelTopology: topology, weightSpecs, weightData, layerClasses, paramCount };
}

function readWeightSpec(weight: unknown, group: number): WeightSpec {
  if (!isRecord(weight) || typeof weight.name !== 'string' || !Array.isArray(weight.shape)) {
    fail(`weightsManifest[${group}] has a weight without name and shape`);
  }
  if (weight.quantization !== undefined) fail(`weight ${weight.name} is quantized; upload the float32 model`);
  const dtype = weight.dtype ?? 'float32';
  if (dtype !== 'float32' && dtype !== 'int32')
    fail(`weight ${weight.name} has dtype ${String(dtype)}; float32 or int32 expected`);
  const shape = weight.shape as unknown[];
  if (
    !shape.every((d): d is number => Number.isInteger(d) && (d as number) >= 0 && (d as number) < 2 ** 24)
  ) {
    fail(`weight ${weight.name} has an invalid shape ${JSON.stringify(shape)}`);
  }
  return { name: weight.name, shape, dtype };
}

function readLayerClasses(topology: Record<string, unknown>): string[] {
  // Keras writes either {class_name, config} at the top or nests it under model_config.
  const root = isRecord(topology.model_config) ? topology.model_config : topology;
  const config = root.config;
  const layers = isRecord(config) ? config.layers : Array.isArray(config) ? config : undefined;
  if (!Array.isArray(layers) || layers.length === 0) fail('modelTopology has no layers');
  return layers.map((layer, i) => {
    if (!isRecord(layer) || typeof layer.class_name !== 'string') fail(`layer ${i} has no class_name`);
    return layer.class_name;
  });
}
