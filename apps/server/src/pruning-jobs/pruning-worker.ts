/**
 * Worker-thread entry of a pruning job: everything CPU-heavy (training, scoring, export)
 * happens here so the API stays responsive. It reads its input from workerData, reports
 * over parentPort and writes its results as files; the runner stores them.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs-core';
import {
  DatasetName,
  ImageSet,
  loadDataset,
  mixIn,
  representativeSubset,
  splitDataset,
  take,
  toFloat01,
} from '@fleetprune/datasets';
import { imageSetData, pruneForProfile } from '@fleetprune/pruning';
import {
  loadLayersModel,
  readLayersModelFiles,
  saveLayersModel,
  selectBackend,
} from '@fleetprune/tfjs-runtime';
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
  await selectBackend({ log: (line) => send({ type: 'log', line }) });
  const model = await loadLayersModel(await readLayersModelFiles(input.modelJsonPath));
  const { options } = input;
  const splits = splitDataset(loadDataset(options.dataset as DatasetName), { seed: options.seed });
  const train = options.trainLimit
    ? take(splits.train, Math.min(options.trainLimit, splits.train.count))
    : splits.train;
  const representative = toFloat01(representativeSubset(splits.train, 200, options.seed));
  const outputs: PruningWorkerOutput[] = [];
  for (const profile of input.profiles) {
    if (abort.signal.aborted) throw new Error('cancelled');
    const { result, exported, report } = await pruneForProfile({
      model,
      train: imageSetData(withFieldSamples(train, profile.name)),
      validation: imageSetData(splits.validation),
      test: splits.test,
      testCount: options.testLimit ? Math.min(options.testLimit, splits.test.count) : undefined,
      profile,
      reportProfiles: input.profiles,
      deployment: { representative, name: `${profile.name.replace(/[^A-Za-z0-9]/g, '_')}_model` },
      targetParams: options.targetParams,
      maxDrop: options.maxDrop,
      epochs: options.epochs,
      scorer: options.scorer,
      distill: options.distill,
      minKeepFraction: options.minKeepFraction,
      seed: options.seed,
      signal: abort.signal,
      onProgress: (event) => send({ type: 'progress', progress: { profile: profile.name, ...event } }),
    });
    const dir = join(input.outDir, profile.name);
    await saveLayersModel(result.model, join(dir, 'tfjs'));
    await mkdir(join(dir, 'tflite'), { recursive: true });
    for (const file of exported.files) {
      // The export's own report.json is replaced by the fuller pruning report.
      await writeFile(
        join(dir, 'tflite', file.name),
        file.name === 'report.json' ? JSON.stringify(report, null, 2) : file.bytes,
      );
    }
    const fit = report.profiles[0];
    outputs.push({ profile: profile.name, dir, fits: fit.fits, reasons: fit.reasons, report: { ...report } });
  }
  return outputs;
}

/** The training set with the profile's field samples mixed in, when the job asks for them. */
function withFieldSamples(train: ImageSet, profile: string): ImageSet {
  const share = input.options.fieldSampleShare;
  const field = input.fieldSets[profile];
  if (!share || !field || field.count === 0) return train;
  const mixed = mixIn(train, { ...field, classNames: train.classNames }, share, input.options.seed);
  send({
    type: 'log',
    line: `${profile}: fine-tuning with ${field.count} field sample(s) repeated to ${Math.round(share * 100)}% of ${mixed.count} images`,
  });
  return mixed;
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
