import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { costForWidths, ModelCost } from '../cost/model-cost';
import { buildPruningGraph } from '../graph/build-pruning-graph';
import { layoutWidth } from '../graph/channel-layout';
import { PruningGraph } from '../graph/pruning-graph';
import { PruningError } from '../pruning-error';
import { sparsityPenalty } from '../regularization/sparsity-penalty';
import { createScorer } from '../scoring/create-scorer';
import { ImportanceScorer, SCORER_NAMES } from '../scoring/importance-scorer';
import { SCORE_NORMALIZATIONS } from '../scoring/score-normalization';
import { TAYLOR_ESTIMATES } from '../scoring/taylor-scorer';
import { pruneChannels } from '../surgery/prune-channels';
import { BatchSampler } from '../training/batch-sampler';
import { evaluateAccuracy } from '../training/evaluate-accuracy';
import { cosineLearningRate, regularizationStrength } from '../training/schedules';
import { Teacher, trainLoop, TrainingData } from '../training/train-loop';
import { channelFloors, planCut } from './cut-plan';
import {
  FitAnswer,
  PrecisionPruneOptions,
  PruneHistoryEntry,
  PruneProgress,
  PruneResult,
} from './prune-options';
import { ProgressTracker } from './progress-tracker';
import { toTrainingData } from './training-data-input';

interface Working {
  model: tfl.LayersModel;
  graph: PruningGraph;
  scorer: ImportanceScorer;
  cost: ModelCost;
}

/**
 * PrecisionPrune: regularised training with importance scoring, then rounds of "cut the
 * lowest-impact channels, fine-tune, re-score" until the budget is met, backing off when
 * validation accuracy falls below tolerance, then a final fine-tune. Deterministic for a seed
 * on one backend.
 * @example const r = await precisionPrune({ model, train, validation, targetParams: 0.3, epochs: 6 });
 */
export async function precisionPrune(options: PrecisionPruneOptions): Promise<PruneResult> {
  const started = Date.now();
  checkOptions(options);
  const seed = options.seed ?? 0;
  const train = toTrainingData(options.train, 'train');
  const validation = toTrainingData(options.validation, 'validation');
  try {
    return await run(options, seed, train.data, validation.data, started);
  } finally {
    tf.dispose([...train.owned, ...validation.owned]);
  }
}

async function run(
  options: PrecisionPruneOptions,
  seed: number,
  train: TrainingData,
  validation: TrainingData,
  started: number,
): Promise<PruneResult> {
  const original = options.model;
  const originalGraph = buildPruningGraph(original);
  const before = costForWidths(originalGraph, new Map());
  // Floors come from the original widths: a share of what a layer has left would keep shrinking.
  const floors = channelFloors(originalGraph, options.minChannels, options.minKeepFraction);
  const targetAbs = options.targetParams !== undefined ? before.params * options.targetParams : undefined;
  const baseline = evaluateAccuracy(original, validation);
  const tolerance = options.maxDrop !== undefined ? baseline - options.maxDrop / 100 : -Infinity;
  const teacher = teacherOf(options);
  const sampler = new BatchSampler(train.y.shape[0], options.batchSize ?? 64, seed);
  const total = Math.max(1, Math.round(options.epochs * sampler.batchesPerEpoch));
  const defaults = scheduleDefaults(targetAbs !== undefined);
  const rounds = options.rounds ?? defaults.rounds;
  const regularizeBatches = Math.round(total * (options.phases?.regularize ?? defaults.regularize));
  const finalBatches = Math.round(total * (options.phases?.finalTune ?? defaults.finalTune));
  const roundBatches = Math.max(1, Math.floor((total - regularizeBatches - finalBatches) / rounds));
  const progress = new ProgressTracker(total, options.onProgress);
  const history: PruneHistoryEntry[] = [
    { round: 0, phase: 'baseline', ...before, valAccuracy: baseline, accepted: true },
  ];
  const baseLr = options.learningRate ?? 1e-3;
  let batchesUsed = 0;

  const copy = pruneChannels(original, new Map(), originalGraph);
  const fresh = (model: tfl.LayersModel, graph: PruningGraph): Working => ({
    model,
    graph,
    scorer: createScorer(options.scorer ?? 'taylor', model, graph, {
      seed,
      normalization: options.normalization,
      taylorEstimate: options.taylorEstimate,
    }),
    cost: costForWidths(graph, new Map()),
  });
  let current = fresh(copy, buildPruningGraph(copy));

  const train1 = async (w: Working, batches: number, phase: PruneProgress['phase'], regularize: boolean) => {
    const optimizer = tf.train.adam(baseLr);
    const runSeed = seed + batchesUsed;
    const offset = batchesUsed;
    batchesUsed += batches;
    try {
      return await trainLoop(w.model, w.graph, train, {
        batches,
        sampler,
        optimizer,
        // One decay over the whole budget, as the dense control gets: restarting it every round
        // spent the fine-tune at high rates and left the final model the least settled.
        learningRate: (b) => cosineLearningRate(offset + b, total, baseLr),
        regularizer: regularize
          ? (b) => penalty(w, options, regularizationStrength(b, batches, options.sparsity))
          : undefined,
        teacher,
        scorer: w.scorer,
        seed: runSeed,
        signal: options.signal,
        onBatch: async (_b, loss) => {
          progress.batch(phase, w.cost.params, loss);
          // Yield so AbortSignal listeners and progress consumers get to run.
          await new Promise((resolve) => setImmediate(resolve));
        },
      });
    } finally {
      optimizer.dispose();
    }
  };
  const record = (round: number, phase: 'regularize' | 'prune' | 'finetune', w: Working, loss: number) => {
    const valAccuracy = evaluateAccuracy(w.model, validation);
    history.push({ round, phase, ...w.cost, valAccuracy, loss, accepted: true });
    progress.emit({ phase, params: w.cost.params, loss, valAccuracy });
    return valAccuracy;
  };

  let candidate: Working | undefined;
  try {
    const regLoss = await train1(current, regularizeBatches, 'regularize', true);
    record(0, 'regularize', current, regLoss);
    let met = await budgetMet(current, targetAbs, options);
    let cutScale = 1;
    let backoffs = 0;
    // A retried round (cut undone for accuracy) does not use up one of the rounds.
    for (let round = 1; round <= rounds && !met;) {
      const remainingRounds = rounds - round + 1;
      const prunable = [...current.graph.groups.values()].filter((g) => g.prunable);
      const channels = prunable.reduce((sum, g) => sum + g.size, 0);
      const keep = planCut(current.graph, scoresOrMagnitude(current, seed, options), {
        maxCut:
          targetAbs !== undefined ? Infinity : Math.ceil(channels * (options.stepFraction ?? 0.2) * cutScale),
        targetParams:
          targetAbs !== undefined
            ? roundTarget(current.cost.params, targetAbs, remainingRounds, cutScale)
            : undefined,
        floors,
      });
      if (keep.size === 0) break;
      const prunedModel = pruneChannels(current.model, keep, current.graph);
      candidate = fresh(prunedModel, buildPruningGraph(prunedModel));
      const loss = await train1(candidate, roundBatches, 'prune', true);
      const accuracy = record(round, 'prune', candidate, loss);
      if (accuracy < tolerance) {
        history[history.length - 1] = { ...history[history.length - 1], accepted: false };
        candidate.model.dispose();
        candidate = undefined;
        cutScale /= 2;
        if (++backoffs > (options.maxBackoffs ?? 2)) break;
        continue;
      }
      current.model.dispose();
      current = candidate;
      candidate = undefined;
      met = await budgetMet(current, targetAbs, options);
      round++;
    }
    const finalLoss = await train1(current, Math.max(1, total - batchesUsed), 'finetune', false);
    const finalAccuracy = record(rounds + 1, 'finetune', current, finalLoss);
    const finalMet =
      (targetAbs === undefined || current.cost.params <= targetAbs) &&
      (!options.fits || fitsAnswer(await options.fits(current.model))) &&
      finalAccuracy >= tolerance;
    progress.emit({ phase: 'done', params: current.cost.params, valAccuracy: finalAccuracy });
    return {
      model: current.model,
      widths: producerWidths(originalGraph, current.graph),
      params: { before: before.params, after: current.cost.params },
      macs: { before: before.macs, after: current.cost.macs },
      baselineAccuracy: baseline,
      finalAccuracy,
      history,
      budgetMet: finalMet,
      backend: tf.getBackend(),
      wallTimeMs: Date.now() - started,
      seed,
    };
  } catch (error) {
    current.model.dispose();
    candidate?.model.dispose();
    throw error;
  }
}

/**
 * Rounds and phase fractions when the caller gives none. With a parameter target the final
 * size is known up front: two quick rounds reach it and 85% of the budget trains the final
 * architecture (on the benchmark, long fine-tuning at the final size mattered more than gradual
 * cuts). Without one, every round must recover before its accuracy decides whether to go on,
 * so the search gets more, longer rounds.
 */
function scheduleDefaults(hasTarget: boolean): { rounds: number; regularize: number; finalTune: number } {
  return hasTarget
    ? { rounds: 2, regularize: 0.05, finalTune: 0.85 }
    : { rounds: 6, regularize: 0.15, finalTune: 0.5 };
}

/**
 * The data-driven scores, or, when no batch has been observed yet (a training budget so small
 * that the first cut comes before any scoring), the weights' L1 magnitudes: cutting blind would
 * otherwise cut nothing and silently miss the budget.
 */
function scoresOrMagnitude(
  w: Working,
  seed: number,
  options: PrecisionPruneOptions,
): ReadonlyMap<string, Float32Array> {
  const scores = w.scorer.scores();
  if ([...scores.values()].some((values) => values.length > 0)) return scores;
  return createScorer('l1', w.model, w.graph, { seed, normalization: options.normalization }).scores();
}

/** Params to aim for this round: a geometric path from `params` to the target, scaled back after failures. */
function roundTarget(params: number, target: number, remainingRounds: number, cutScale: number): number {
  const step = params * Math.pow(target / params, 1 / remainingRounds);
  return params - (params - step) * cutScale;
}

function penalty(w: Working, options: PrecisionPruneOptions, strength: number): tf.Scalar | null {
  if (strength <= 0) return null;
  return tf.mul(sparsityPenalty(w.model, w.graph, options.sparsity), strength) as tf.Scalar;
}

async function budgetMet(
  w: Working,
  targetAbs: number | undefined,
  options: PrecisionPruneOptions,
): Promise<boolean> {
  if (targetAbs !== undefined && w.cost.params > targetAbs) return false;
  if (options.fits) return fitsAnswer(await options.fits(w.model));
  // maxDrop alone: prune as far as tolerance allows, so the budget is never "met" early.
  return targetAbs !== undefined;
}

function fitsAnswer(answer: FitAnswer): boolean {
  return typeof answer === 'boolean' ? answer : answer.fits;
}

function teacherOf(options: PrecisionPruneOptions): Teacher | undefined {
  if (!options.distill) return undefined;
  const settings = options.distill === true ? {} : options.distill;
  return { model: options.model, temperature: settings.temperature, alpha: settings.alpha };
}

function producerWidths(before: PruningGraph, after: PruningGraph): PruneResult['widths'] {
  const afterNodes = new Map(after.nodes.map((n) => [n.name, n]));
  return before.nodes
    .filter((n) => n.kind === 'producer')
    .map((n) => ({
      layer: n.name,
      before: layoutWidth(n.outLayout),
      after: layoutWidth(afterNodes.get(n.name)?.outLayout ?? n.outLayout),
    }));
}

function checkOptions(options: PrecisionPruneOptions): void {
  const invalid = (m: string) => new PruningError('INVALID_OPTIONS', m);
  if (options.targetParams === undefined && options.maxDrop === undefined && !options.fits) {
    throw invalid('give a budget: targetParams (fraction to keep), maxDrop (accuracy points) or fits()');
  }
  if (options.targetParams !== undefined && !(options.targetParams > 0 && options.targetParams <= 1)) {
    throw invalid('targetParams is the fraction of params to keep; use a value in (0, 1]');
  }
  if (!(options.epochs > 0)) throw invalid('epochs must be > 0; it is the whole training budget');
  const oneOf = (name: string, value: string | undefined, known: readonly string[]) => {
    if (value !== undefined && !known.includes(value)) {
      throw invalid(`${name} ${String(value)} is unknown; use ${known.map((k) => `'${k}'`).join(' or ')}`);
    }
  };
  oneOf('scorer', options.scorer, SCORER_NAMES);
  oneOf('taylorEstimate', options.taylorEstimate, TAYLOR_ESTIMATES);
  oneOf('normalization', options.normalization, SCORE_NORMALIZATIONS);
  const share = options.minKeepFraction;
  if (share !== undefined && !(share >= 0 && share < 1)) {
    throw invalid(
      `minKeepFraction is the share of each layer's channels it keeps; use a value in [0, 1), got ${share}`,
    );
  }
  for (const key of ['groupLasso', 'batchNormL1'] as const) {
    const strength = options.sparsity?.[key];
    if (strength !== undefined && !(strength >= 0 && Number.isFinite(strength))) {
      throw invalid(`sparsity.${key} must be a finite number >= 0 (0 turns it off), got ${strength}`);
    }
  }
}
