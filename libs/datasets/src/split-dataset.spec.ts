import { DatasetError } from './dataset-error';
import { loadFashionMnist } from './fashion-mnist';
import { classCounts, createImageSet, ImageSet, TrainTestSets } from './image-set';
import { splitDataset } from './split-dataset';

// 2x2x1 images whose first three pixels spell the image's index, so any output image can be
// traced back to its source; labels are deliberately unbalanced (class 2 is rare).
function tracedSet(count: number): ImageSet {
  const images = new Uint8Array(count * 4);
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    images.set([i >> 16, (i >> 8) & 255, i & 255, 0], i * 4);
    labels[i] = i % 50 === 0 ? 2 : i % 2;
  }
  return createImageSet({ images, labels, height: 2, width: 2, channels: 1, classNames: ['a', 'b', 'c'] });
}

function sources(set: ImageSet): number[] {
  return Array.from({ length: set.count }, (_, i) => {
    const [hi, mid, lo] = set.images.subarray(i * 4, i * 4 + 3);
    return (hi << 16) | (mid << 8) | lo;
  });
}

describe(splitDataset.name, () => {
  const traced: TrainTestSets = { train: tracedSet(5000), test: tracedSet(300) };

  it('partitions train into disjoint train and validation that together are the original', () => {
    const { train, validation, test } = splitDataset(traced);
    expect([train.count, validation.count]).toEqual([4500, 500]);
    const all = [...sources(train), ...sources(validation)].sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: 5000 }, (_, i) => i));
    expect(test).toBe(traced.test);
    // Labels travel with their images.
    for (const set of [train, validation]) {
      sources(set).forEach((src, i) => expect(set.labels[i]).toBe(traced.train.labels[src]));
    }
  });

  it('keeps the original order inside each part', () => {
    const { train, validation } = splitDataset(traced, { seed: 5 });
    for (const part of [sources(train), sources(validation)]) {
      expect(part).toEqual([...part].sort((a, b) => a - b));
    }
  });

  it('is deterministic for a seed and different across seeds', () => {
    const a = sources(splitDataset(traced, { seed: 1 }).validation);
    expect(sources(splitDataset(traced, { seed: 1 }).validation)).toEqual(a);
    expect(sources(splitDataset(traced, { seed: 2 }).validation)).not.toEqual(a);
  });

  it('stratifies: each class keeps its share, the rare class included', () => {
    const counts = classCounts(traced.train); // [2450, 2450, 100]
    const validation = classCounts(splitDataset(traced, { validationFraction: 0.2 }).validation);
    expect(validation).toEqual(counts.map((n) => n * 0.2));
  });

  it('gives Fashion-MNIST a 54,000 / 6,000 split with 600 validation images per class', () => {
    const splits = splitDataset(loadFashionMnist());
    expect([splits.train.count, splits.validation.count, splits.test.count]).toEqual([54000, 6000, 10000]);
    expect(classCounts(splits.validation)).toEqual(new Array(10).fill(600));
    expect(classCounts(splits.train)).toEqual(new Array(10).fill(5400));
  });

  it('allows an empty validation set and rejects bad fractions and seeds', () => {
    expect(splitDataset(traced, { validationFraction: 0 }).validation.count).toBe(0);
    for (const validationFraction of [-0.1, 1, 1.5, Number.NaN]) {
      expect(() => splitDataset(traced, { validationFraction })).toThrow(DatasetError);
    }
    expect(() => splitDataset(traced, { seed: 0.5 })).toThrow(/seed must be an integer/);
  });
});
