// PrecisionPrune vs L1-norm vs random on the DESIGN.md reference CNN (issue 4 benchmark).
// Build, then one run per process (two can share the 2 cores):
//   node dist/bench/pruning.js --method dense            # trains + caches the 10-epoch dense model
//   node dist/bench/pruning.js --method control          # dense + the same 5 extra epochs
//   node dist/bench/pruning.js --method taylor --keep 0.4   (l1, random; keep 0.4 / 0.25 / 0.1)
//   node dist/bench/pruning.js --report                  # table into docs/benchmarks.md + SVG
//   node dist/bench/pruning.js --suite [--lanes 2] [--prune-seeds 1,2,3] [--seeded-methods taylor,l1]
//                                    # all of the above that is missing (resumable)
// Other flags: --limit N (training images), --test N, --seed S, --distill, and variants,
// recorded and reported apart: --epochs E (budget after the dense training, default 5),
// --rounds N, --phases reg,final, --normalization M, --taylor-estimate per-sample,
// --sparsity groupLasso,bnL1, --min-keep-fraction F (0: no per-layer floor), --lr L (peak
// learning rate after the dense training, pruning run or control). --prune-seed S reruns a
// cell (the control too) with another seed on the same dense model; the report averages a
// cell over its seeds.
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { appendFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { loadFashionMnist, splitDataset } from '@fleetprune/datasets';
import {
  buildArchitecture,
  DEFAULT_MIN_KEEP_FRACTION,
  precisionPrune,
  trainClassifier,
  imageSetData,
  SCORE_NORMALIZATIONS,
  TAYLOR_ESTIMATES,
  type DataInput,
  type ScoreNormalization,
  type TaylorEstimate,
  type ScorerName,
} from '@fleetprune/pruning';
import {
  loadLayersModel,
  readLayersModelFiles,
  saveLayersModel,
  selectBackend,
} from '@fleetprune/tfjs-runtime';
import { measureDeployed, type DeployedMeasure } from './pruning-measure';
import { writePruningReport } from './pruning-report';
import { denseDir, readResults, resultsFile, runSuite } from './pruning-suite';

/** One benchmark row, appended as a JSON line to the results file. */
export interface BenchRow extends DeployedMeasure {
  method: 'dense' | 'control' | ScorerName;
  keep: number;
  epochs: number;
  distill: boolean;
  wallTimeS: number;
  backend: string;
  seed: number;
  /**
   * Seed of what runs after the dense training (batch order, random scores), pruning or control;
   * rows that differ only here are averaged.
   */
  pruneSeed?: number;
  budgetMet?: boolean;
  widths?: { layer: string; before: number; after: number }[];
  trainImages?: number;
  /** The per-layer floor the run pruned with (rows without it predate the floor: 0). */
  minKeepFraction?: number;
  /** A schedule other than the default, e.g. "rounds 8". */
  variant?: string;
  /** The code that ran (git HEAD, "+dirty" with local changes); kernels change the last digits. */
  commit?: string;
}

interface Args {
  method?: BenchRow['method'];
  keep: number;
  epochs: number;
  seed: number;
  distill: boolean;
  report: boolean;
  /** Run the whole protocol (bench/pruning-suite.ts) instead of one run. */
  suite?: { lanes: number; pruneSeeds: number[]; seededMethods: string[] };
  dir: string;
  limit?: number;
  testCount: number;
  note?: string;
  /** Schedule variants (defaults: precisionPrune's). */
  rounds?: number;
  phases?: { regularize: number; finalTune: number };
  normalization?: ScoreNormalization;
  taylorEstimate?: TaylorEstimate;
  sparsity?: { groupLasso: number; batchNormL1: number };
  minKeepFraction?: number;
  learningRate?: number;
  /** Seed of the pruning or control run only (batch order, random scores); the dense model keeps `seed`. */
  pruneSeed?: number;
}

const DENSE_EPOCHS = 10;
/** The protocol's budget after the dense training; another budget is reported as a variant. */
const BUDGET_EPOCHS = 5;

function parseArgs(argv: string[]): Args {
  const args: Args = {
    keep: 1,
    epochs: BUDGET_EPOCHS,
    seed: 1,
    distill: false,
    report: false,
    dir: '.tmp/bench',
    testCount: 10000,
  };
  const suite = () => (args.suite ??= { lanes: 2, pruneSeeds: [1], seededMethods: ['taylor', 'l1'] });
  const valued: Record<string, (value: string) => void> = {
    '--method': (v) => (args.method = v as BenchRow['method']),
    '--keep': (v) => (args.keep = Number(v)),
    '--epochs': (v) => (args.epochs = Number(v)),
    '--seed': (v) => (args.seed = Number(v)),
    '--dir': (v) => (args.dir = v),
    '--limit': (v) => (args.limit = Number(v)),
    '--test': (v) => (args.testCount = Number(v)),
    '--note': (v) => (args.note = v),
    '--rounds': (v) => (args.rounds = Number(v)),
    '--prune-seed': (v) => (args.pruneSeed = Number(v)),
    '--lr': (v) => (args.learningRate = Number(v)),
    '--normalization': (v) => (args.normalization = oneOf('--normalization', v, SCORE_NORMALIZATIONS)),
    '--taylor-estimate': (v) => (args.taylorEstimate = oneOf('--taylor-estimate', v, TAYLOR_ESTIMATES)),
    '--sparsity': (v) => {
      const [groupLasso, batchNormL1] = v.split(',').map(Number);
      if (![groupLasso, batchNormL1].every((s) => s >= 0 && Number.isFinite(s)))
        throw new Error(
          `--sparsity takes two strengths >= 0, group lasso and BatchNorm L1 (1e-3,1e-4); got ${v}`,
        );
      args.sparsity = { groupLasso, batchNormL1 };
    },
    '--min-keep-fraction': (v) => {
      args.minKeepFraction = Number(v);
      if (!(args.minKeepFraction >= 0 && args.minKeepFraction < 1))
        throw new Error(`--min-keep-fraction takes a share of each layer's channels in [0, 1); got ${v}`);
    },
    '--lanes': (v) => (suite().lanes = Number(v)),
    '--prune-seeds': (v) => (suite().pruneSeeds = v.split(',').map(Number)),
    '--seeded-methods': (v) => (suite().seededMethods = v.split(',')),
    '--phases': (v) => {
      const [regularize, finalTune] = v.split(',').map(Number);
      args.phases = { regularize, finalTune };
    },
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag === '--report') args.report = true;
    else if (flag === '--suite') suite();
    else if (flag === '--distill') args.distill = true;
    else if (valued[flag] && i + 1 < argv.length) valued[flag](argv[++i]);
    else
      throw new Error(
        `unknown option ${flag}; use ${Object.keys(valued).join(', ')}, --distill, --report, --suite`,
      );
  }
  return args;
}

function oneOf<T extends string>(flag: string, value: string, known: readonly T[]): T {
  if (!(known as readonly string[]).includes(value))
    throw new Error(`${flag} ${value} is unknown; use one of ${known.join(', ')}`);
  return value as T;
}

function log(line: string): void {
  console.error(`[${new Date().toISOString().slice(11, 19)}] ${line}`);
}

async function denseModel(args: Args, train: DataInput, validation: DataInput): Promise<tfl.LayersModel> {
  const dir = denseDir(args.dir, args.seed, args.limit);
  if (existsSync(join(dir, 'model.json')))
    return loadLayersModel(await readLayersModelFiles(join(dir, 'model.json')));
  const model = buildArchitecture('fmnist-cnn', { seed: args.seed });
  await trainClassifier(model, train, {
    epochs: DENSE_EPOCHS,
    seed: args.seed,
    validation,
    onProgress: (p) =>
      log(
        `dense epoch ${p.epoch}/${p.epochs} step ${p.step}/${p.totalSteps} loss ${p.loss.toFixed(4)}` +
          `${p.valAccuracy !== undefined ? ` val ${(p.valAccuracy * 100).toFixed(2)}%` : ''} eta ${p.etaSeconds.toFixed(0)} s`,
      ),
  });
  await saveLayersModel(model, dir);
  return model;
}

async function runOne(args: Args): Promise<void> {
  const commit = gitCommit(); // now: HEAD may move while a run trains
  const backend = await selectBackend({ log });
  const splits = splitDataset(loadFashionMnist(), { validationFraction: 0.1, seed: 42 });
  const train = imageSetData(splits.train, args.limit);
  const validation = imageSetData(splits.validation, args.limit ? Math.ceil(args.limit / 9) : undefined);
  const started = Date.now();
  const dense = await denseModel(args, train, validation);
  let model = dense;
  let extra: Partial<BenchRow> = {};
  const method = args.method ?? 'dense';
  if (method === 'control') {
    const t0 = Date.now();
    // Same extra epochs and schedule (cosine from the peak rate, 1e-3 unless --lr, to a tenth) as the pruning runs.
    await trainClassifier(dense, train, {
      epochs: args.epochs,
      seed: args.pruneSeed ?? args.seed,
      lrSchedule: 'cosine',
      learningRate: args.learningRate,
      validation,
      onProgress: (p) =>
        log(
          `control step ${p.step}/${p.totalSteps} loss ${p.loss.toFixed(4)} eta ${p.etaSeconds.toFixed(0)} s`,
        ),
    });
    extra = { wallTimeS: (Date.now() - t0) / 1000 };
  } else if (method !== 'dense') {
    const result = await precisionPrune({
      model: dense,
      train,
      validation,
      targetParams: args.keep,
      epochs: args.epochs,
      scorer: method,
      distill: args.distill,
      seed: args.pruneSeed ?? args.seed,
      batchSize: 128,
      rounds: args.rounds,
      normalization: args.normalization,
      taylorEstimate: args.taylorEstimate,
      phases: args.phases,
      sparsity: args.sparsity,
      minKeepFraction: args.minKeepFraction,
      learningRate: args.learningRate,
      onProgress: (p) =>
        log(
          `${method} ${p.phase} step ${p.step}/${p.totalSteps} params ${p.params}` +
            `${p.valAccuracy !== undefined ? ` val ${(p.valAccuracy * 100).toFixed(2)}%` : ''} eta ${p.etaSeconds.toFixed(0)} s`,
        ),
    });
    model = result.model;
    extra = {
      wallTimeS: result.wallTimeMs / 1000,
      budgetMet: result.budgetMet,
      widths: result.widths,
      minKeepFraction: args.minKeepFraction ?? DEFAULT_MIN_KEEP_FRACTION,
    };
  }
  log('exporting int8 and evaluating the .tflite on the test set');
  const measured = await measureDeployed(model, splits, args.testCount);
  const row: BenchRow = {
    method,
    keep: method === 'dense' || method === 'control' ? 1 : args.keep,
    epochs: method === 'dense' ? 0 : args.epochs,
    distill: args.distill,
    wallTimeS: (Date.now() - started) / 1000,
    backend: backend.name,
    seed: args.seed,
    pruneSeed: method === 'dense' ? undefined : (args.pruneSeed ?? args.seed),
    trainImages: Math.min(args.limit ?? splits.train.count, splits.train.count),
    variant: variantOf(args),
    commit,
    ...extra,
    ...measured,
  };
  await mkdir(args.dir, { recursive: true });
  await appendFile(resultsFile(args.dir), `${JSON.stringify(row)}\n`);
  log(JSON.stringify({ ...row, widths: undefined }));
}

function gitCommit(): string | undefined {
  try {
    const head = execSync('git rev-parse --short HEAD', { stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
    const dirty = execSync('git status --porcelain --untracked-files=no', {
      stdio: ['ignore', 'pipe', 'ignore'],
    })
      .toString()
      .trim();
    return dirty ? `${head}+dirty` : head;
  } catch {
    return undefined; // not a git checkout
  }
}

function variantOf(args: Args): string | undefined {
  const parts = [
    args.epochs !== BUDGET_EPOCHS ? `${args.epochs} epochs` : '',
    args.rounds !== undefined ? `rounds ${args.rounds}` : '',
    args.phases ? `phases ${args.phases.regularize}/${args.phases.finalTune}` : '',
    args.normalization ? `${args.normalization} normalization` : '',
    args.taylorEstimate ? `${args.taylorEstimate} Taylor` : '',
    args.sparsity ? `sparsity ${args.sparsity.groupLasso}/${args.sparsity.batchNormL1}` : '',
    args.minKeepFraction !== undefined ? `min keep ${args.minKeepFraction}` : '',
    args.learningRate !== undefined ? `lr ${args.learningRate}` : '',
  ].filter((p) => p !== '');
  return parts.length > 0 ? parts.join(', ') : undefined;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (args.report) {
    await writePruningReport(await readResults(args.dir), {
      source: resultsFile(args.dir),
      markdown: 'docs/benchmarks.md',
      svg: 'docs/pruning-accuracy-vs-size.svg',
      note: args.note,
    });
    return;
  }
  if (args.suite) {
    await runSuite(process.argv[1], { dir: args.dir, limit: args.limit, ...args.suite });
    return;
  }
  await runOne(args);
  tf.disposeVariables();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
