import { DatasetError } from './dataset-error';
import { classCounts, createImageSet } from './image-set';

describe(createImageSet.name, () => {
  const base = {
    images: new Uint8Array(2 * 3 * 3),
    labels: Uint8Array.from([1, 0]),
    height: 3,
    width: 3,
    channels: 1,
    classNames: ['no', 'yes'],
  };

  it('derives count from the labels and keeps the arrays', () => {
    const set = createImageSet(base);
    expect(set.count).toBe(2);
    expect(set.images).toBe(base.images);
    expect(classCounts(set)).toEqual([1, 1]);
  });

  it.each([
    ['pixel count off by one', { images: new Uint8Array(17) }],
    ['a label without a class name', { labels: Uint8Array.from([2, 0]) }],
    ['zero height', { height: 0, images: new Uint8Array(0) }],
    ['fractional channels', { channels: 1.5 }],
    ['no class names', { classNames: [] }],
  ])('rejects %s as BAD_ARGUMENT', (_name, change) => {
    let code = 'no error';
    try {
      createImageSet({ ...base, ...change });
    } catch (err) {
      code = err instanceof DatasetError ? err.code : 'other error';
    }
    expect(code).toBe('BAD_ARGUMENT');
  });
});
