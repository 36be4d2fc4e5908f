import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Command } from 'commander';
import {
  DATASET_NAMES,
  loadDataset,
  representativeSubset,
  splitDataset,
  take,
  toFloat01,
} from '@fleetprune/datasets';
import {
  BudgetMode,
  DEFAULT_MIN_KEEP_FRACTION,
  formatPruneReport,
  imageSetData,
  pruneForProfile,
  SCORER_NAMES,
  ScorerName,
} from '@fleetprune/pruning';
import {
  loadLayersModel,
  readLayersModelFiles,
  selectBackend,
  serializeLayersModel,
} from '@fleetprune/tfjs-runtime';
import { BUILTIN_DEVICE_PROFILES, builtinDeviceProfile } from '@fleetprune/tflite';
import { ProgressBar } from '../progress-bar';
import { parseDatasetName } from '../cli-inputs';
import { CliError } from '../server-client';
import { cancelOnInterrupt, parseCount } from './train.command';

interface PruneOptions {
  model: string;
  dataset: string;
  profile: string;
  maxDrop?: number;
  targetParams?: number;
  mode?: string;
  epochs: number;
  seed: number;
  scorer: string;
  distill?: boolean;
  minKeepFraction?: number;
  out: string;
  limit?: number;
  testLimit?: number;
}

const MODES: readonly BudgetMode[] = ['most-accurate', 'smallest'];

function parseFraction(flag: string, max: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0 || n > max)
      throw new CliError(`${flag} must be a number in (0, ${max}], got '${value}'`);
    return n;
  };
}

function parseShare(value: string): number {
  const n = Number(value);
  if (!(n >= 0 && n < 1))
    throw new CliError(`--min-keep-fraction must be a number in [0, 1), got '${value}'`);
  return n;
}

/** `fleetprune prune`: PrecisionPrune a model for a device profile and write the model, int8 export and report. */
export function pruneCommand(): Command {
  return new Command('prune')
    .description(
      'prune a TensorFlow.js model for a device profile (PrecisionPrune) and write the pruned model, model.tflite, model_data.h/.cc, op_resolver.h and report.json',
    )
    .requiredOption('--model <model.json>', 'trained TensorFlow.js Layers model')
    .requiredOption('--dataset <name>', `training, validation and test data: ${DATASET_NAMES.join(' | ')}`)
    .requiredOption(
      '--profile <name>',
      `device profile: ${BUILTIN_DEVICE_PROFILES.map((p) => p.name).join(' | ')}`,
    )
    .option(
      '--max-drop <points>',
      'largest validation accuracy drop tolerated, in percentage points',
      parseFraction('--max-drop', 100),
    )
    .option(
      '--target-params <fraction>',
      'fraction of deployed params to keep, e.g. 0.4',
      parseFraction('--target-params', 1),
    )
    .option(
      '--mode <mode>',
      `${MODES.join(' | ')} (default: smallest with --max-drop alone, else most-accurate)`,
    )
    .option(
      '--epochs <n>',
      'whole training budget pruning may spend, in epochs',
      parseFraction('--epochs', 1000),
      5,
    )
    .option('--seed <n>', 'seed of shuffles, dropout and the random scorer', parseCount('--seed', 0), 0)
    .option('--scorer <name>', `channel importance: ${SCORER_NAMES.join(' | ')}`, 'taylor')
    .option('--distill', 'distil from the unpruned model while fine-tuning')
    .option(
      '--min-keep-fraction <share>',
      `share of each layer's channels pruning leaves, in [0, 1) (default ${DEFAULT_MIN_KEEP_FRACTION}; 0 lets a layer go down to one channel)`,
      parseShare,
    )
    .requiredOption('--out <dir>', 'output directory')
    .option(
      '--limit <n>',
      'use the first n training images only (quick runs and tests)',
      parseCount('--limit'),
    )
    .option('--test-limit <n>', 'evaluate on the first n test images only', parseCount('--test-limit'))
    .action(async (opts: PruneOptions) => {
      const profile = builtinDeviceProfile(opts.profile);
      if (!profile) {
        throw new CliError(
          `unknown profile ${opts.profile}; built-in profiles: ${BUILTIN_DEVICE_PROFILES.map((p) => p.name).join(', ')}`,
        );
      }
      const dataset = parseDatasetName(opts.dataset);
      if (!(SCORER_NAMES as readonly string[]).includes(opts.scorer)) {
        throw new CliError(`unknown scorer ${opts.scorer}; use one of ${SCORER_NAMES.join(', ')}`);
      }
      if (opts.mode !== undefined && !(MODES as readonly string[]).includes(opts.mode)) {
        throw new CliError(`unknown mode ${opts.mode}; use one of ${MODES.join(', ')}`);
      }
      if (opts.mode === 'smallest' && opts.maxDrop === undefined) {
        throw new CliError('--mode smallest needs --max-drop (the accuracy tolerance in points)');
      }
      const backend = await selectBackend({ log: (line) => console.error(line) });
      const model = await loadLayersModel(await readLayersModelFiles(opts.model));
      const splits = splitDataset(loadDataset(dataset));
      const train = opts.limit ? take(splits.train, Math.min(opts.limit, splits.train.count)) : splits.train;
      const validationCount = opts.limit ? Math.max(100, Math.ceil(opts.limit / 9)) : splits.validation.count;
      const bar = new ProgressBar();
      const stop = cancelOnInterrupt();
      const { result, exported, report } = await pruneForProfile({
        model,
        train: imageSetData(train),
        validation: imageSetData(splits.validation, validationCount),
        test: splits.test,
        testCount: opts.testLimit,
        profile,
        mode: opts.mode as BudgetMode | undefined,
        deployment: { representative: toFloat01(representativeSubset(splits.train, 200, 1)), name: 'model' },
        maxDrop: opts.maxDrop,
        targetParams: opts.targetParams,
        epochs: opts.epochs,
        seed: opts.seed,
        scorer: opts.scorer as ScorerName,
        distill: opts.distill,
        minKeepFraction: opts.minKeepFraction,
        batchSize: 128,
        signal: stop.signal,
        onProgress: (p) =>
          bar.update(
            p.step,
            p.totalSteps,
            `${p.phase} params ${p.params}` +
              (p.valAccuracy !== undefined ? ` val ${(p.valAccuracy * 100).toFixed(2)}%` : ''),
            p.etaSeconds,
          ),
      });
      stop.release();
      bar.finish();
      await mkdir(opts.out, { recursive: true });
      for (const file of await serializeLayersModel(result.model))
        await writeFile(join(opts.out, file.name), file.bytes);
      for (const file of exported.files) {
        if (file.name !== 'report.json') await writeFile(join(opts.out, file.name), file.bytes);
      }
      const full = {
        ...report,
        backend: backend.name,
        model: opts.model,
        dataset: opts.dataset,
        export: exported.report,
      };
      await writeFile(join(opts.out, 'report.json'), `${JSON.stringify(full, null, 2)}\n`);
      console.log(formatPruneReport(report));
      console.log(
        `wrote model.json, weights.bin, ${exported.files.map((f) => f.name).join(', ')} to ${opts.out}`,
      );
      if (!report.budgetMet) {
        console.error('fleetprune: warning: the budget was not met; see report.json (history, profiles)');
        process.exitCode = 2;
      }
      result.model.dispose();
      model.dispose();
    });
}
