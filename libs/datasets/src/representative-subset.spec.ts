import { DatasetError } from './dataset-error';
import { loadFashionMnist } from './fashion-mnist';
import { classCounts, createImageSet, ImageSet } from './image-set';
import { representativeSubset } from './representative-subset';

// One image per class 0..3 plus 996 images of class 4: proportional rounding alone would drop
// the rare classes from a 20-image draw.
function skewedSet(): ImageSet {
  const count = 1000;
  const labels = new Uint8Array(count).fill(4);
  labels.set([0, 1, 2, 3], 500);
  const images = new Uint8Array(count);
  for (let i = 0; i < count; i++) images[i] = i % 256;
  return createImageSet({
    images,
    labels,
    height: 1,
    width: 1,
    channels: 1,
    classNames: ['a', 'b', 'c', 'd', 'e'],
  });
}

describe(representativeSubset.name, () => {
  let fashionTest: ImageSet;
  beforeAll(() => {
    fashionTest = loadFashionMnist().test;
  });

  it('draws 200 Fashion-MNIST images by default, 20 of every class', () => {
    const calib = representativeSubset(fashionTest);
    expect(calib.count).toBe(200);
    expect(classCounts(calib)).toEqual(new Array(10).fill(20));
    expect(calib.images.length).toBe(200 * 784);
  });

  it('includes every class even when some are rare', () => {
    const calib = representativeSubset(skewedSet(), 20);
    expect(classCounts(calib)).toEqual([1, 1, 1, 1, 16]);
  });

  it('is deterministic for a seed and differs across seeds', () => {
    const a = representativeSubset(fashionTest, 50, 3);
    const b = representativeSubset(fashionTest, 50, 3);
    const c = representativeSubset(fashionTest, 50, 4);
    expect(Buffer.from(a.images).equals(Buffer.from(b.images))).toBe(true);
    expect(Buffer.from(a.images).equals(Buffer.from(c.images))).toBe(false);
  });

  it('returns real images of the set with their own labels', () => {
    const calib = representativeSubset(fashionTest, 30, 11);
    const byPixels = new Map<string, number[]>();
    for (let i = 0; i < fashionTest.count; i++) {
      const key = Buffer.from(fashionTest.images.subarray(i * 784, (i + 1) * 784)).toString('latin1');
      byPixels.set(key, [...(byPixels.get(key) ?? []), fashionTest.labels[i]]);
    }
    for (let i = 0; i < calib.count; i++) {
      const key = Buffer.from(calib.images.subarray(i * 784, (i + 1) * 784)).toString('latin1');
      expect(byPixels.get(key)).toContain(calib.labels[i]);
    }
  });

  it('rejects n outside 0..count', () => {
    expect(() => representativeSubset(skewedSet(), 1001)).toThrow(DatasetError);
    expect(() => representativeSubset(skewedSet(), -1)).toThrow(/n must be an integer in 0\.\.1000/);
    expect(representativeSubset(skewedSet(), 0).count).toBe(0);
  });
});
