import { DatasetError } from './dataset-error';

/** Images as row-major NHWC uint8 pixels (0..255) with one class label per image. */
export interface ImageSet {
  /** `count * height * width * channels` pixels, image after image. */
  images: Uint8Array;
  /** `count` labels, each an index into `classNames`. */
  labels: Uint8Array;
  count: number;
  height: number;
  width: number;
  channels: number;
  /** Human-readable class names, e.g. Fashion-MNIST's 10; `labels[i] < classNames.length`. */
  classNames: readonly string[];
}

/** Train / validation / test partition; validation is carved out of train, test is untouched. */
export interface DatasetSplits {
  train: ImageSet;
  validation: ImageSet;
  test: ImageSet;
}

/** A loader's result: the dataset's own train and test sets. */
export interface TrainTestSets {
  train: ImageSet;
  test: ImageSet;
}

/**
 * Builds an {@link ImageSet} after checking that the arrays match the shape and every label
 * names a class; `count` is derived from `labels.length`. Throws `BAD_ARGUMENT` otherwise.
 */
export function createImageSet(fields: Omit<ImageSet, 'count'>): ImageSet {
  const { images, labels, height, width, channels, classNames } = fields;
  for (const [name, value] of [
    ['height', height],
    ['width', width],
    ['channels', channels],
  ] as const) {
    if (!Number.isSafeInteger(value) || value < 1) {
      throw new DatasetError('BAD_ARGUMENT', `image ${name} must be a positive integer, got ${value}`);
    }
  }
  if (classNames.length < 1 || classNames.length > 256) {
    throw new DatasetError(
      'BAD_ARGUMENT',
      `need 1..256 class names for uint8 labels, got ${classNames.length}`,
    );
  }
  const count = labels.length;
  const pixels = height * width * channels;
  if (images.length !== count * pixels) {
    throw new DatasetError(
      'BAD_ARGUMENT',
      `${count} labels of ${height}x${width}x${channels} images need ${count * pixels} pixels, got ${images.length}`,
    );
  }
  const bad = labels.findIndex((label) => label >= classNames.length);
  if (bad >= 0) {
    throw new DatasetError('BAD_ARGUMENT', `label ${labels[bad]} at index ${bad} has no class name`);
  }
  return { images, labels, count, height, width, channels, classNames };
}

/** Pixels per image (`height * width * channels`). */
export function pixelsPerImage(set: ImageSet): number {
  return set.height * set.width * set.channels;
}

/** Number of images of each class, indexed by label. */
export function classCounts(set: ImageSet): number[] {
  const counts = new Array<number>(set.classNames.length).fill(0);
  for (const label of set.labels) counts[label]++;
  return counts;
}
