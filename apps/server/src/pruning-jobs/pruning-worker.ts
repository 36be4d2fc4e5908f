/**
 * Worker-thread entry of a pruning job: everything CPU-heavy (training, scoring, export)
 * happens here so the API stays responsive. It reads its input from workerData, reports
 * over parentPort and writes its results as files; the runner stores them.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import {
  DatasetName,
  loadDataset,
  representativeSubset,
  splitDataset,
  take,
  toFloat01,
} from '@fleetprune/datasets';
import { countMacs, countParams, precisionPrune } from '@fleetprune/pruning';
import {
  loadLayersModel,
  readLayersModelFiles,
  saveLayersModel,
  selectBackend,
} from '@fleetprune/tfjs-runtime';
import {
  checkModelFitsProfile,
  DeviceProfileSpec,
  evaluateClassifier,
  exportMicroModel,
  readModel,
} from '@fleetprune/tflite';
import type {
  PruningWorkerInput,
  PruningWorkerOutput,
  RunnerMessage,
  WorkerMessage,
} from './pruning-worker-protocol';

const input = workerData as PruningWorkerInput;
const abort = new AbortController();
const send = (message: WorkerMessage) => parentPort?.postMessage(message);
parentPort?.on('message', (message: RunnerMessage) => {
  if (message.type === 'cancel') abort.abort();
});

async function run(): Promise<PruningWorkerOutput[]> {
  const backend = await selectBackend({ log: (line) => send({ type: 'log', line }) });
  const model = await loadLayersModel(await readLayersModelFiles(input.modelJsonPath));
  const sets = loadDataset(input.options.dataset as DatasetName);
  const splits = splitDataset(sets, { seed: input.options.seed });
  const train = input.options.trainLimit
    ? take(splits.train, Math.min(input.options.trainLimit, splits.train.count))
    : splits.train;
  const shape = [28, 28, 1];
  const asData = (set: typeof train) => ({ x: toFloat01(set), shape: [set.count, ...shape], y: set.labels });
  const representative = toFloat01(representativeSubset(splits.train, 200, input.options.seed));
  const outputs: PruningWorkerOutput[] = [];
  for (const profile of input.profiles) {
    if (abort.signal.aborted) throw new Error('cancelled');
    const started = Date.now();
    const fitsProfile = (candidate: tfl.LayersModel) => {
      const exported = exportMicroModel(candidate, representative);
      const check = checkModelFitsProfile({ ...exported.report, macs: countMacs(candidate) }, profile);
      return { fits: check.fits, reason: check.reasons.join('; ') };
    };
    const result = await precisionPrune({
      model,
      train: asData(train),
      validation: asData(splits.validation),
      targetParams: input.options.targetParams,
      maxDrop: input.options.maxDrop,
      fits: fitsProfile,
      epochs: input.options.epochs,
      scorer: input.options.scorer,
      distill: input.options.distill,
      seed: input.options.seed,
      signal: abort.signal,
      onProgress: (event) => send({ type: 'progress', progress: { profile: profile.name, ...event } }),
    });
    outputs.push(
      await writeOutputs(profile, result.model, representative, splits.test, {
        widths: result.widths,
        params: result.params,
        macs: result.macs,
        floatValidationAccuracy: { before: result.baselineAccuracy, after: result.finalAccuracy },
        history: result.history,
        budgetMet: result.budgetMet,
        backend: backend.name,
        seed: result.seed,
        wallTimeMs: Date.now() - started,
      }),
    );
  }
  return outputs;
}

async function writeOutputs(
  profile: DeviceProfileSpec,
  pruned: tfl.LayersModel,
  representative: Float32Array,
  test: ReturnType<typeof take>,
  pruning: Record<string, unknown>,
): Promise<PruningWorkerOutput> {
  const dir = join(input.outDir, profile.name);
  await saveLayersModel(pruned, join(dir, 'tfjs'));
  const exported = exportMicroModel(pruned, representative, {
    name: profile.name.replace(/-/g, '_') + '_model',
  });
  const int8 = evaluateClassifier(readModel(exported.tflite), test);
  const macs = countMacs(pruned);
  const check = checkModelFitsProfile({ ...exported.report, macs }, profile);
  const report = {
    profile: profile.name,
    ...pruning,
    deployedParams: countParams(pruned),
    int8TestAccuracy: int8.accuracy,
    testImages: int8.count,
    tfliteBytes: exported.report.flashBytes,
    arenaBytes: exported.report.arenaBytes,
    arenaBytes32: exported.report.arenaBytes32,
    estimatedLatencyMs: check.estimatedLatencyMs,
    fits: check.fits,
    reasons: check.reasons,
    export: exported.report,
  };
  await mkdir(join(dir, 'tflite'), { recursive: true });
  for (const file of exported.files) {
    await writeFile(
      join(dir, 'tflite', file.name),
      file.name === 'report.json' ? JSON.stringify(report, null, 2) : file.bytes,
    );
  }
  return { profile: profile.name, dir, fits: check.fits, reasons: check.reasons, report };
}

run()
  .then(
    (outputs) => send({ type: 'done', outputs }),
    (error: unknown) =>
      send({
        type: 'failed',
        message: abort.signal.aborted ? 'cancelled' : error instanceof Error ? error.message : String(error),
      }),
  )
  .finally(() => tf.disposeVariables());
