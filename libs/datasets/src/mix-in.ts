import { DatasetError } from './dataset-error';
import { ImageSet, pixelsPerImage } from './image-set';
import { seededShuffle } from './rng';

/**
 * `base` plus `extra` repeated so that extra makes up about `share` of the result, shuffled
 * with `seed`. Used to fine-tune on a few hundred field samples without drowning them in
 * thousands of clean training images (and without forgetting the clean ones either).
 */
export function mixIn(base: ImageSet, extra: ImageSet, share: number, seed: number): ImageSet {
  if (!(share > 0 && share < 1))
    throw new DatasetError('BAD_ARGUMENT', `mixIn: share must be in (0, 1), got ${share}`);
  if (base.height !== extra.height || base.width !== extra.width || base.channels !== extra.channels)
    throw new DatasetError(
      'BAD_ARGUMENT',
      `mixIn: images are ${extra.height}x${extra.width}x${extra.channels}, the set's are ${base.height}x${base.width}x${base.channels}`,
    );
  for (let i = 0; i < extra.count; i++)
    if (extra.labels[i] >= base.classNames.length)
      throw new DatasetError(
        'BAD_ARGUMENT',
        `mixIn: label ${extra.labels[i]} is not one of the set's ${base.classNames.length} classes`,
      );
  if (extra.count === 0) return base;
  const repeats = Math.max(1, Math.round((share * base.count) / ((1 - share) * extra.count)));
  const count = base.count + repeats * extra.count;
  const pixels = pixelsPerImage(base);
  const order = seededShuffle(count, seed);
  const images = new Uint8Array(count * pixels);
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const src = order[i];
    const [set, row] = src < base.count ? [base, src] : [extra, (src - base.count) % extra.count];
    images.set(set.images.subarray(row * pixels, (row + 1) * pixels), i * pixels);
    labels[i] = set.labels[row];
  }
  return { ...base, images, labels, count };
}
