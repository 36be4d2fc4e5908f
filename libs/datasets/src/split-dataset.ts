import { DatasetError } from './dataset-error';
import { withDefaults } from './with-defaults';
import { DatasetSplits, TrainTestSets } from './image-set';
import { assertSeed, createRng } from './rng';
import { stratifiedPartition } from './stratified-sample';
import { subset } from './subset';

/** Options of {@link splitDataset}. */
export interface SplitOptions {
  /** Share of the train set moved to validation, in [0, 1). Default 0.1. */
  validationFraction: number;
  /** Seed of the class-stratified draw. Default 42. */
  seed: number;
}

/** Defaults of {@link splitDataset}: 10% validation, seed 42. */
export const DEFAULT_SPLIT_OPTIONS: Readonly<SplitOptions> = Object.freeze({
  validationFraction: 0.1,
  seed: 42,
});

/**
 * Carves a validation set out of `sets.train`: `round(count * validationFraction)` images drawn
 * class by class so each class keeps its share (stratified), the same images for the same seed.
 * Train and validation are disjoint and keep the original order; `sets.test` is passed through.
 * @example splitDataset(loadFashionMnist()) // train 54000, validation 6000 (600 per class), test 10000
 */
export function splitDataset(sets: TrainTestSets, opts: Partial<SplitOptions> = {}): DatasetSplits {
  const { validationFraction, seed } = withDefaults(DEFAULT_SPLIT_OPTIONS, opts);
  if (!(validationFraction >= 0 && validationFraction < 1)) {
    throw new DatasetError(
      'BAD_ARGUMENT',
      `splitDataset: validationFraction must be in [0, 1), got ${validationFraction}`,
    );
  }
  assertSeed(seed, 'splitDataset');
  const { train, test } = sets;
  const nValidation = Math.round(train.count * validationFraction);
  const { picked, rest } = stratifiedPartition(train, nValidation, createRng(seed));
  return { train: subset(train, rest), validation: subset(train, picked), test };
}
