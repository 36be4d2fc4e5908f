import { DatasetError } from './dataset-error';
import { ImageSet, pixelsPerImage } from './image-set';

/** Copies the images at `indices` (in that order, repeats allowed) into a new {@link ImageSet}. */
export function subset(set: ImageSet, indices: ArrayLike<number>): ImageSet {
  const pixels = pixelsPerImage(set);
  const count = indices.length;
  const images = new Uint8Array(count * pixels);
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const src = indices[i];
    if (!Number.isInteger(src) || src < 0 || src >= set.count) {
      throw new DatasetError(
        'BAD_ARGUMENT',
        `subset: index ${src} at position ${i} is outside 0..${set.count - 1}`,
      );
    }
    images.set(set.images.subarray(src * pixels, (src + 1) * pixels), i * pixels);
    labels[i] = set.labels[src];
  }
  return { ...set, images, labels, count };
}

/** The first `n` images of `set` as a copy; `n` must be an integer in 0..count. */
export function take(set: ImageSet, n: number): ImageSet {
  if (!Number.isSafeInteger(n) || n < 0 || n > set.count) {
    throw new DatasetError('BAD_ARGUMENT', `take: n must be an integer in 0..${set.count}, got ${n}`);
  }
  const pixels = pixelsPerImage(set);
  return {
    ...set,
    images: set.images.slice(0, n * pixels),
    labels: set.labels.slice(0, n),
    count: n,
  };
}
