import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Command } from 'commander';
import { DATASET_NAMES, loadDataset, splitDataset, take } from '@fleetprune/datasets';
import {
  ARCHITECTURE_NAMES,
  buildArchitecture,
  countMacs,
  countParams,
  imageSetAccuracy,
  imageSetData,
  trainClassifier,
} from '@fleetprune/pruning';
import { selectBackend, serializeLayersModel } from '@fleetprune/tfjs-runtime';
import { ProgressBar } from '../progress-bar';
import { parseDatasetName } from '../cli-inputs';
import { CliError } from '../server-client';

interface TrainOptions {
  arch: string;
  dataset: string;
  epochs: number;
  seed: number;
  out: string;
  limit?: number;
  testLimit?: number;
}

/** `fleetprune train`: trains a named reference architecture and writes model.json, weights and report.json. */
export function trainCommand(): Command {
  return new Command('train')
    .description(
      'train a reference architecture (Adam 1e-3, batch 128, inputs x/255) and write model.json + weights.bin + report.json',
    )
    .requiredOption('--arch <name>', `architecture: ${ARCHITECTURE_NAMES.join(' | ')}`)
    .requiredOption('--dataset <name>', `dataset: ${DATASET_NAMES.join(' | ')}`)
    .option('--epochs <n>', 'training epochs', parseCount('--epochs'), 10)
    .option('--seed <n>', 'seed of initialisers, shuffles and dropout', parseCount('--seed', 0), 0)
    .requiredOption('--out <dir>', 'output directory')
    .option(
      '--limit <n>',
      'train on the first n training images only (quick runs and tests)',
      parseCount('--limit'),
    )
    .option('--test-limit <n>', 'evaluate on the first n test images only', parseCount('--test-limit'))
    .action(async (opts: TrainOptions) => {
      if (!(ARCHITECTURE_NAMES as readonly string[]).includes(opts.arch)) {
        throw new CliError(`unknown architecture ${opts.arch}; use one of ${ARCHITECTURE_NAMES.join(', ')}`);
      }
      const dataset = parseDatasetName(opts.dataset);
      const backend = await selectBackend({ log: (line) => console.error(line) });
      const splits = splitDataset(loadDataset(dataset));
      const train = opts.limit ? take(splits.train, Math.min(opts.limit, splits.train.count)) : splits.train;
      const validationCount = opts.limit ? Math.max(100, Math.ceil(opts.limit / 9)) : splits.validation.count;
      const model = buildArchitecture(opts.arch, { seed: opts.seed });
      const bar = new ProgressBar();
      const stop = cancelOnInterrupt();
      const result = await trainClassifier(model, imageSetData(train), {
        epochs: opts.epochs,
        seed: opts.seed,
        validation: imageSetData(splits.validation, validationCount),
        signal: stop.signal,
        onProgress: (p) =>
          bar.update(
            p.step,
            p.totalSteps,
            `epoch ${p.epoch}/${p.epochs} loss ${p.loss.toFixed(4)}` +
              (p.valAccuracy !== undefined ? ` val ${(p.valAccuracy * 100).toFixed(2)}%` : ''),
            p.etaSeconds,
          ),
      });
      stop.release();
      bar.finish();
      const testCount = Math.min(opts.testLimit ?? splits.test.count, splits.test.count);
      const testAccuracy = imageSetAccuracy(model, splits.test, testCount);
      await mkdir(opts.out, { recursive: true });
      for (const file of await serializeLayersModel(model))
        await writeFile(join(opts.out, file.name), file.bytes);
      const report = {
        arch: opts.arch,
        dataset: opts.dataset,
        epochs: opts.epochs,
        seed: opts.seed,
        batchSize: 128,
        learningRate: 1e-3,
        trainImages: train.count,
        params: countParams(model),
        macs: countMacs(model),
        epochLosses: result.epochLosses,
        validationAccuracy: result.valAccuracy,
        test: { count: testCount, accuracy: testAccuracy },
        backend: backend.name,
        wallTimeS: result.wallTimeMs / 1000,
      };
      await writeFile(join(opts.out, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
      console.log(`wrote model.json, weights.bin, report.json to ${opts.out}`);
      console.log(
        `test accuracy ${(testAccuracy * 100).toFixed(2)}% on ${testCount} images (float), ${report.params} params`,
      );
      model.dispose();
    });
}

/** Commander parser for a non-negative integer option (positive unless `min` is 0). */
export function parseCount(flag: string, min = 1): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min)
      throw new CliError(`${flag} must be an integer >= ${min}, got '${value}'`);
    return n;
  };
}

/**
 * Ctrl-C aborts a long run through its AbortSignal (the library then throws ABORTED) instead of
 * killing the process mid-write; `release` removes the handler once the run is over.
 */
export function cancelOnInterrupt(): { signal: AbortSignal; release: () => void } {
  const controller = new AbortController();
  const onInterrupt = () => controller.abort();
  process.once('SIGINT', onInterrupt);
  return { signal: controller.signal, release: () => void process.off('SIGINT', onInterrupt) };
}
