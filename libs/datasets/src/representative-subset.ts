import { DatasetError } from './dataset-error';
import { ImageSet } from './image-set';
import { assertSeed, createRng } from './rng';
import { stratifiedSample } from './stratified-sample';
import { subset } from './subset';

/** Default size of a calibration set: enough for stable int8 ranges, quick to run. */
export const DEFAULT_REPRESENTATIVE_COUNT = 200;

/**
 * A class-stratified calibration set for int8 quantization: `n` images drawn so each class keeps
 * its share of `set` and every class present gets at least one image (when `n` allows), so the
 * quantizer sees activations of every class. Deterministic for a seed; keeps `set`'s order.
 * @example representativeSubset(splits.train) // 200 images, 20 per Fashion-MNIST class
 */
export function representativeSubset(set: ImageSet, n = DEFAULT_REPRESENTATIVE_COUNT, seed = 42): ImageSet {
  if (!Number.isSafeInteger(n) || n < 0 || n > set.count) {
    throw new DatasetError(
      'BAD_ARGUMENT',
      `representativeSubset: n must be an integer in 0..${set.count} (the set size), got ${n}`,
    );
  }
  assertSeed(seed, 'representativeSubset');
  return subset(set, stratifiedSample(set, n, createRng(seed), true));
}
