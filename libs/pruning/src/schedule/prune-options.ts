import type * as tfl from '@tensorflow/tfjs-layers';
import { SparsityPenaltyOptions } from '../regularization/sparsity-penalty';
import { ScorerName } from '../scoring/importance-scorer';
import { ScoreNormalization } from '../scoring/score-normalization';
import { TaylorEstimate } from '../scoring/taylor-scorer';
import { TrainingData } from '../training/train-loop';
import { StrengthSchedule } from '../training/schedules';

/** Labelled data as tensors, or as a flat float32 array with its shape and labels. */
export type DataInput =
  TrainingData | { readonly x: Float32Array; readonly shape: number[]; readonly y: ArrayLike<number> };

/** What a `fits` callback answers: a boolean, or an object with `fits` and a reason. */
export type FitAnswer = boolean | { readonly fits: boolean; readonly reason?: string };

/** Where precisionPrune is; sent to `onProgress`. */
export interface PruneProgress {
  readonly phase: 'regularize' | 'prune' | 'finetune' | 'done';
  /** Training batches done, of `totalSteps` (the whole epoch budget). */
  readonly step: number;
  readonly totalSteps: number;
  readonly params: number;
  readonly valAccuracy?: number;
  readonly loss?: number;
  readonly etaSeconds: number;
}

/** Options of `precisionPrune`; give `targetParams`, `maxDrop` or `fits` (or several). */
export interface PrecisionPruneOptions {
  /** A trained classifier; it is not modified (the result is a new model). */
  readonly model: tfl.LayersModel;
  readonly train: DataInput;
  readonly validation: DataInput;
  /** Fraction of deployed params to keep, in (0, 1]. */
  readonly targetParams?: number;
  /** Largest tolerated validation accuracy drop in percentage points; prunes as far as it allows. */
  readonly maxDrop?: number;
  /** Caller's own budget check (flash, RAM, latency); pruning continues until it says yes. */
  readonly fits?: (model: tfl.LayersModel) => Promise<FitAnswer> | FitAnswer;
  /** Whole training budget in epochs: regularised training, rounds of fine-tuning, final tune. */
  readonly epochs: number;
  /** Default 'taylor'. */
  readonly scorer?: ScorerName;
  /** How the Taylor scorer reads a batch. Default 'batch' (see TaylorEstimate). */
  readonly taylorEstimate?: TaylorEstimate;
  /** Default 'l2-cost' (see ScoreNormalization). */
  readonly normalization?: ScoreNormalization;
  /** Distil from the unpruned model; `true` uses temperature 4, alpha 0.5. */
  readonly distill?: boolean | { readonly temperature?: number; readonly alpha?: number };
  /** Default 0. */
  readonly seed?: number;
  /** Default 64. */
  readonly batchSize?: number;
  /** Adam base learning rate, cosine-decayed to a tenth over the whole budget. Default 1e-3. */
  readonly learningRate?: number;
  /** Pruning rounds. Default 2 with targetParams, else 6. */
  readonly rounds?: number;
  /** Without targetParams: fraction of prunable channels cut per round. Default 0.2. */
  readonly stepFraction?: number;
  /** Channels every group keeps. Default 1. */
  readonly minChannels?: number;
  /**
   * Share of its original channels every group keeps, in [0, 1); 0 lets a layer go down to
   * minChannels. Default DEFAULT_MIN_KEEP_FRACTION (0.15).
   */
  readonly minKeepFraction?: number;
  /** Regulariser strengths and their schedule; `{ groupLasso: 0, batchNormL1: 0 }` disables. */
  readonly sparsity?: SparsityPenaltyOptions & StrengthSchedule;
  /**
   * Fractions of the batch budget for the regularised phase and the final fine-tune; the cut
   * rounds share the rest. Default 0.05 and 0.85 with targetParams, else 0.15 and 0.5.
   */
  readonly phases?: { readonly regularize?: number; readonly finalTune?: number };
  /** Failed rounds (accuracy below tolerance) retried with half the cut before giving up. Default 2. */
  readonly maxBackoffs?: number;
  readonly onProgress?: (event: PruneProgress) => void;
  readonly signal?: AbortSignal;
}

/** One evaluation of the validation set. */
export interface PruneHistoryEntry {
  readonly round: number;
  readonly phase: 'baseline' | 'regularize' | 'prune' | 'finetune';
  readonly params: number;
  readonly macs: number;
  readonly valAccuracy: number;
  readonly loss?: number;
  /** False for a round rolled back because accuracy fell below tolerance. */
  readonly accepted: boolean;
}

/** What `precisionPrune` returns. */
export interface PruneResult {
  readonly model: tfl.LayersModel;
  /** Output channels of every Conv2D/Dense layer. */
  readonly widths: { readonly layer: string; readonly before: number; readonly after: number }[];
  readonly params: { readonly before: number; readonly after: number };
  readonly macs: { readonly before: number; readonly after: number };
  readonly baselineAccuracy: number;
  readonly finalAccuracy: number;
  readonly history: PruneHistoryEntry[];
  /** True when every requested budget holds at the end: targetParams, fits(), accuracy within maxDrop. */
  readonly budgetMet: boolean;
  readonly backend: string;
  readonly wallTimeMs: number;
  readonly seed: number;
}
