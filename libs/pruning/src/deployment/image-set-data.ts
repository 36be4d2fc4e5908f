import { toFloat01, type ImageSet } from '@fleetprune/datasets';
import type { DataInput } from '../schedule/prune-options';

/** The first `count` images of a set as training input: NHWC floats x/255 and their labels. */
export function imageSetData(set: ImageSet, count = set.count): DataInput {
  const n = Math.max(0, Math.min(count, set.count));
  return {
    x: toFloat01(set, 0, n),
    shape: [n, set.height, set.width, set.channels],
    y: set.labels.subarray(0, n),
  };
}
