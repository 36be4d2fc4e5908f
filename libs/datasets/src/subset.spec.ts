import { DatasetError } from './dataset-error';
import { createImageSet, ImageSet } from './image-set';
import { subset, take } from './subset';

// 5 RGB images of 1x2 pixels; image i holds the bytes 10*i .. 10*i+5.
function rgbSet(): ImageSet {
  const images = Uint8Array.from({ length: 5 * 6 }, (_, j) => 10 * Math.floor(j / 6) + (j % 6));
  return createImageSet({
    images,
    labels: Uint8Array.from([0, 1, 2, 0, 1]),
    height: 1,
    width: 2,
    channels: 3,
    classNames: ['r', 'g', 'b'],
  });
}

describe(subset.name, () => {
  it('copies the chosen images and labels in the given order, repeats allowed', () => {
    const set = rgbSet();
    const picked = subset(set, [4, 0, 4]);
    expect(picked.count).toBe(3);
    expect(Array.from(picked.labels)).toEqual([1, 0, 1]);
    expect(Array.from(picked.images.subarray(0, 6))).toEqual([40, 41, 42, 43, 44, 45]);
    expect(Array.from(picked.images.subarray(6, 12))).toEqual([0, 1, 2, 3, 4, 5]);
    expect([picked.height, picked.width, picked.channels, picked.classNames]).toEqual([
      1,
      2,
      3,
      ['r', 'g', 'b'],
    ]);
    picked.images.fill(0);
    expect(set.images[4 * 6 + 4]).toBe(44);
  });

  it('accepts typed index arrays and rejects out-of-range or fractional indices', () => {
    expect(subset(rgbSet(), Uint32Array.from([2])).labels[0]).toBe(2);
    for (const bad of [[5], [-1], [1.5], [Number.NaN]]) {
      expect(() => subset(rgbSet(), bad)).toThrow(DatasetError);
    }
  });
});

describe(take.name, () => {
  it('returns a copy of the first n images', () => {
    const set = rgbSet();
    const first = take(set, 2);
    expect(first.count).toBe(2);
    expect(Array.from(first.labels)).toEqual([0, 1]);
    expect(Array.from(first.images)).toEqual([0, 1, 2, 3, 4, 5, 10, 11, 12, 13, 14, 15]);
    first.images[0] = 99;
    expect(set.images[0]).toBe(0);
    expect(take(set, 0).count).toBe(0);
    expect(take(set, 5).images.length).toBe(30);
  });

  it('rejects n outside 0..count', () => {
    expect(() => take(rgbSet(), 6)).toThrow(/take: n must be an integer in 0\.\.5, got 6/);
    expect(() => take(rgbSet(), -1)).toThrow(DatasetError);
  });
});
