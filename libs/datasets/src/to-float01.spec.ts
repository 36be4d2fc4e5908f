import { createImageSet } from './image-set';
import { toFloat01 } from './to-float01';

describe(toFloat01.name, () => {
  const set = createImageSet({
    images: Uint8Array.from({ length: 256 }, (_, i) => i),
    labels: new Uint8Array(4),
    height: 8,
    width: 8,
    channels: 1,
    classNames: ['only'],
  });

  it('maps 0..255 onto [0, 1] as x / 255 in float32', () => {
    const all = toFloat01(set);
    expect(all.length).toBe(256);
    expect(all[0]).toBe(0);
    expect(all[255]).toBe(1);
    for (let i = 0; i < 256; i++) expect(all[i]).toBe(Math.fround(i / 255));
  });

  it('converts just the images start..end-1', () => {
    const middle = toFloat01(set, 1, 3);
    expect(middle.length).toBe(128);
    expect(middle[0]).toBe(Math.fround(64 / 255));
    expect(toFloat01(set, 2, 2).length).toBe(0);
  });

  it('rejects ranges outside the set', () => {
    expect(() => toFloat01(set, 0, 5)).toThrow(/need integers 0 <= start <= end <= 4/);
    expect(() => toFloat01(set, 3, 2)).toThrow(/got start=3 end=2/);
    expect(() => toFloat01(set, -1)).toThrow(/Datasets: toFloat01/);
  });
});
