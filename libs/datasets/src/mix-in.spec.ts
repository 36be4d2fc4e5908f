import { createImageSet } from './image-set';
import { mixIn } from './mix-in';

function solid(count: number, value: number, label: number) {
  return createImageSet({
    images: new Uint8Array(count * 4).fill(value),
    labels: new Uint8Array(count).fill(label),
    height: 2,
    width: 2,
    channels: 1,
    classNames: ['a', 'b', 'c'],
  });
}

describe('mixIn', () => {
  it('repeats the extra images up to the requested share and keeps image and label together', () => {
    const mixed = mixIn(solid(70, 10, 0), solid(5, 200, 2), 0.3, 1);
    // 30% of the result from 5 extras: 6 copies of each (30 of 100).
    expect(mixed.count).toBe(100);
    let extras = 0;
    for (let i = 0; i < mixed.count; i++) {
      const pixel = mixed.images[i * 4];
      expect(mixed.labels[i]).toBe(pixel === 200 ? 2 : 0);
      if (pixel === 200) extras++;
    }
    expect(extras).toBe(30);
    // Shuffled: the extras are not all at the end.
    expect(Array.from(mixed.labels.subarray(0, 50)).filter((l) => l === 2).length).toBeGreaterThan(5);
  });

  it('refuses extras of another shape or with unknown classes', () => {
    const other = createImageSet({
      images: new Uint8Array(9),
      labels: new Uint8Array(1),
      height: 3,
      width: 3,
      channels: 1,
      classNames: ['a'],
    });
    expect(() => mixIn(solid(4, 0, 0), other, 0.5, 1)).toThrow(/3x3x1/);
    expect(() => mixIn(solid(4, 0, 0), solid(2, 0, 7), 0.5, 1)).toThrow(/label 7/);
    expect(() => mixIn(solid(4, 0, 0), solid(2, 0, 1), 1, 1)).toThrow(/share/);
  });
});
