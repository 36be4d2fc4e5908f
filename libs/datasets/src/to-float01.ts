import { DatasetError } from './dataset-error';
import { ImageSet, pixelsPerImage } from './image-set';

/**
 * Pixels of images `start..end-1` scaled to [0, 1] (x / 255), NHWC, ready for a float tensor.
 * Taking a range lets a trainer convert one batch at a time instead of the whole set.
 * @example toFloat01(set, 0, 128) // Float32Array(128 * 28 * 28)
 */
export function toFloat01(set: ImageSet, start = 0, end = set.count): Float32Array {
  if (
    !Number.isSafeInteger(start) ||
    !Number.isSafeInteger(end) ||
    start < 0 ||
    end > set.count ||
    start > end
  ) {
    throw new DatasetError(
      'BAD_ARGUMENT',
      `toFloat01: need integers 0 <= start <= end <= ${set.count}, got start=${start} end=${end}`,
    );
  }
  const pixels = pixelsPerImage(set);
  const from = start * pixels;
  const out = new Float32Array((end - start) * pixels);
  for (let i = 0; i < out.length; i++) out[i] = set.images[from + i] / 255;
  return out;
}
