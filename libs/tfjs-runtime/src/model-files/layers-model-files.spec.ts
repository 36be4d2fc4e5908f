import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ModelFile, parseLayersModelFiles } from './layers-model-files';
import {
  loadLayersModel,
  readLayersModelFiles,
  saveLayersModel,
  serializeLayersModel,
} from './layers-model-io';

function tinyModel(): tfl.Sequential {
  const model = tfl.sequential();
  model.add(tfl.layers.conv2d({ inputShape: [6, 6, 1], filters: 2, kernelSize: 3, activation: 'relu' }));
  model.add(tfl.layers.flatten());
  model.add(tfl.layers.dense({ units: 3, activation: 'softmax' }));
  return model;
}

function edit(files: ModelFile[], name: string, change: (bytes: Uint8Array) => Uint8Array): ModelFile[] {
  return files.map((f) => (f.name === name ? { name, bytes: change(f.bytes) } : f));
}

function editJson(files: ModelFile[], change: (json: Record<string, unknown>) => void): ModelFile[] {
  return edit(files, 'model.json', (bytes) => {
    const json = JSON.parse(Buffer.from(bytes).toString()) as Record<string, unknown>;
    change(json);
    return Buffer.from(JSON.stringify(json));
  });
}

describe(parseLayersModelFiles.name, () => {
  let files: ModelFile[];
  let model: tfl.Sequential;

  beforeAll(async () => {
    await tf.setBackend('cpu');
    model = tinyModel();
    files = await serializeLayersModel(model);
  });

  it('round-trips a model: same layers, same predictions', async () => {
    const parsed = parseLayersModelFiles(files);
    expect(parsed.layerClasses).toEqual(['Conv2D', 'Flatten', 'Dense']);
    expect(parsed.paramCount).toBe(model.countParams());
    const loaded = await loadLayersModel(parsed);
    const x = tf.randomUniform([2, 6, 6, 1], 0, 1, 'float32', 7);
    const expected = await (model.predict(x) as tf.Tensor).data();
    const actual = await (loaded.predict(x) as tf.Tensor).data();
    expect(Array.from(actual)).toEqual(Array.from(expected));
  });

  it('saves to and reads from disk', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fp-model-'));
    try {
      await saveLayersModel(model, join(dir, 'm'));
      const parsed = await readLayersModelFiles(join(dir, 'm', 'model.json'));
      expect(parsed.paramCount).toBe(model.countParams());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each<[string, (f: ModelFile[]) => ModelFile[], RegExp]>([
    [
      'truncated weights',
      (f) => edit(f, 'weights.bin', (b) => b.subarray(0, b.length - 4)),
      /declares \d+ bytes of weights but its files hold/,
    ],
    [
      'missing weights file',
      (f) => f.filter((x) => x.name !== 'weights.bin'),
      /weight file weights.bin .* was not provided/,
    ],
    ['not JSON', (f) => edit(f, 'model.json', () => Buffer.from('{nope')), /not valid JSON/],
    [
      'a graph model',
      (f) => editJson(f, (j) => (j.format = 'graph-model')),
      /only TensorFlow.js "layers-model"/,
    ],
    ['no topology', (f) => editJson(f, (j) => delete j.modelTopology), /modelTopology is missing/],
    [
      'path traversal',
      (f) => editJson(f, (j) => ((j.weightsManifest as { paths: string[] }[])[0].paths = ['../etc/passwd'])),
      /not a plain file name/,
    ],
    ['no model.json', (f) => f.filter((x) => x.name !== 'model.json'), /exactly one model.json/],
  ])('refuses %s with a message naming the problem', (_name, corrupt, message) => {
    expect(() => parseLayersModelFiles(corrupt(files))).toThrow(message);
  });

  it('refuses a layer class TensorFlow.js does not know', async () => {
    const bad = editJson(files, (j) => {
      const topology = j.modelTopology as { config: { layers: { class_name: string }[] } };
      topology.config.layers[1].class_name = 'MyCustomLayer';
    });
    await expect(loadLayersModel(parseLayersModelFiles(bad))).rejects.toThrow(
      /cannot build this model.*MyCustomLayer/s,
    );
  });
});
