import type { ImageSet } from '@fleetprune/datasets';

/** Labelled field images of one profile: an ImageSet (NHWC uint8) without class names. */
export type FieldImageSet = Omit<ImageSet, 'classNames'>;

/** What assembling a set needs of each stored sample (newest first). */
export interface LabelledSampleMeta {
  id: number;
  label: number;
  shape: number[];
}

/**
 * A sample's shape as height, width, channels: `[h, w, c]` as is, `[h, w]` one channel,
 * `[1, h, w, c]` without its batch dimension, `[n]` a 1 x n row; undefined otherwise.
 */
export function imageDims(shape: readonly number[]): [number, number, number] | undefined {
  const s = shape.length === 4 && shape[0] === 1 ? shape.slice(1) : shape;
  if (s.length === 3) return [s[0], s[1], s[2]];
  if (s.length === 2) return [s[0], s[1], 1];
  if (s.length === 1) return [1, s[0], 1];
  return undefined;
}

/**
 * Picks the samples of the most common image dimensions (ties: the newest sample's), newest
 * first, at most `max`; labels above 255 cannot be an ImageSet label and are left out.
 */
export function pickImageSamples(
  samples: readonly LabelledSampleMeta[],
  max: number,
): { dims: [number, number, number]; picked: LabelledSampleMeta[] } | undefined {
  const groups = new Map<string, { dims: [number, number, number]; members: LabelledSampleMeta[] }>();
  for (const sample of samples) {
    const dims = imageDims(sample.shape);
    if (!dims || sample.label > 255) continue;
    const key = dims.join('x');
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { dims, members: [] }));
    group.members.push(sample);
  }
  let best: { dims: [number, number, number]; members: LabelledSampleMeta[] } | undefined;
  // Map iteration follows insertion, i.e. the newest sample of each group first: `>` keeps ties newest.
  for (const group of groups.values()) if (!best || group.members.length > best.members.length) best = group;
  if (!best) return undefined;
  return { dims: best.dims, picked: best.members.slice(0, Math.max(0, max)) };
}

/** Concatenates the pixels of `picked` (each exactly h*w*c bytes) into a FieldImageSet. */
export function assembleImageSet(
  dims: [number, number, number],
  picked: readonly LabelledSampleMeta[],
  data: ReadonlyMap<number, Uint8Array>,
): FieldImageSet {
  const [height, width, channels] = dims;
  const per = height * width * channels;
  const rows = picked.filter((s) => data.get(s.id)?.length === per);
  const images = new Uint8Array(rows.length * per);
  rows.forEach((s, i) => images.set(data.get(s.id)!, i * per));
  return {
    images,
    labels: Uint8Array.from(rows, (s) => s.label),
    count: rows.length,
    height,
    width,
    channels,
  };
}
