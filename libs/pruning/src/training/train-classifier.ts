import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { buildPruningGraph } from '../graph/build-pruning-graph';
import { PruningError } from '../pruning-error';
import { DataInput } from '../schedule/prune-options';
import { toTrainingData } from '../schedule/training-data-input';
import { BatchSampler } from './batch-sampler';
import { evaluateAccuracy } from './evaluate-accuracy';
import { cosineLearningRate } from './schedules';
import { trainLoop } from './train-loop';

/** Learning rate over a run: constant, cosine decay to 10 % of the base, or any function of the batch. */
export type LearningRateSchedule = 'constant' | 'cosine' | ((batch: number, total: number) => number);

/** Progress of `trainClassifier`, sent every few batches and after each epoch. */
export interface TrainProgress {
  readonly epoch: number;
  readonly epochs: number;
  readonly step: number;
  readonly totalSteps: number;
  readonly loss: number;
  readonly valAccuracy?: number;
  readonly etaSeconds: number;
}

/** Options of `trainClassifier`; defaults are the DESIGN.md recipe (Adam 1e-3, batch 128). */
export interface TrainClassifierOptions {
  readonly epochs: number;
  /** Default 128. */
  readonly batchSize?: number;
  /** Adam base rate. Default 1e-3. */
  readonly learningRate?: number;
  /** Default 'constant'. */
  readonly lrSchedule?: LearningRateSchedule;
  /** Shuffle and dropout seed. Default 0. */
  readonly seed?: number;
  /** Evaluated after every epoch when given. */
  readonly validation?: DataInput;
  readonly onProgress?: (event: TrainProgress) => void;
  readonly signal?: AbortSignal;
}

/** What `trainClassifier` returns (the model is trained in place). */
export interface TrainClassifierResult {
  readonly epochLosses: number[];
  readonly valAccuracy?: number;
  readonly wallTimeMs: number;
  readonly backend: string;
  readonly seed: number;
}

/**
 * Trains a classifier in place, deterministically for a seed on one backend: seeded shuffles
 * and dropout, Adam, BatchNorm in training mode, built on `trainLoop`.
 * @example await trainClassifier(model, { x, y }, { epochs: 10, seed: 1 });
 */
export async function trainClassifier(
  model: tfl.LayersModel,
  data: DataInput,
  options: TrainClassifierOptions,
): Promise<TrainClassifierResult> {
  if (!(options.epochs > 0)) throw new PruningError('INVALID_OPTIONS', 'epochs must be > 0');
  const started = Date.now();
  const seed = options.seed ?? 0;
  const train = toTrainingData(data, 'train');
  const validation = options.validation ? toTrainingData(options.validation, 'validation') : undefined;
  const graph = buildPruningGraph(model);
  const sampler = new BatchSampler(train.data.y.shape[0], options.batchSize ?? 128, seed);
  const perEpoch = Math.max(1, sampler.batchesPerEpoch);
  const total = Math.round(options.epochs * perEpoch);
  const rate = rateFunction(options.lrSchedule ?? 'constant', options.learningRate ?? 1e-3, total);
  const optimizer = tf.train.adam(options.learningRate ?? 1e-3);
  const epochLosses: number[] = [];
  let valAccuracy: number | undefined;
  let done = 0;
  const every = Math.max(1, Math.floor(perEpoch / 20));
  try {
    for (let epoch = 0; done < total; epoch++) {
      const batches = Math.min(perEpoch, total - done);
      const offset = done;
      const loss = await trainLoop(model, graph, train.data, {
        batches,
        sampler,
        optimizer,
        learningRate: (b) => rate(offset + b),
        seed: seed * 1009 + epoch,
        signal: options.signal,
        onBatch: async (b, batchLoss) => {
          done = offset + b + 1;
          if (done % every === 0)
            options.onProgress?.(progressOf(epoch, options.epochs, done, total, batchLoss, started));
          // Let AbortSignal listeners and progress consumers run between batches.
          await new Promise((resolve) => setImmediate(resolve));
        },
      });
      epochLosses.push(loss);
      valAccuracy = validation ? evaluateAccuracy(model, validation.data) : undefined;
      options.onProgress?.({ ...progressOf(epoch, options.epochs, done, total, loss, started), valAccuracy });
    }
  } finally {
    optimizer.dispose();
    tf.dispose([...train.owned, ...(validation?.owned ?? [])]);
  }
  return { epochLosses, valAccuracy, wallTimeMs: Date.now() - started, backend: tf.getBackend(), seed };
}

function rateFunction(
  schedule: LearningRateSchedule,
  base: number,
  total: number,
): (batch: number) => number {
  if (schedule === 'constant') return () => base;
  if (schedule === 'cosine') return (b) => cosineLearningRate(b, total, base);
  return (b) => schedule(b, total);
}

function progressOf(
  epoch: number,
  epochs: number,
  step: number,
  totalSteps: number,
  loss: number,
  started: number,
): TrainProgress {
  const elapsed = (Date.now() - started) / 1000;
  const etaSeconds = step === 0 ? 0 : (elapsed / step) * (totalSteps - step);
  return { epoch: epoch + 1, epochs, step, totalSteps, loss, etaSeconds };
}
