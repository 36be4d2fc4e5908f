import { assembleImageSet, imageDims, pickImageSamples } from './field-image-set';

describe('field image sets', () => {
  it.each([
    [
      [28, 28, 1],
      [28, 28, 1],
    ],
    [
      [1, 96, 96, 3],
      [96, 96, 3],
    ],
    [
      [5, 7],
      [5, 7, 1],
    ],
    [[49], [1, 49, 1]],
    [[2, 2, 2, 2], undefined],
  ])('reads shape %j as %j', (shape, dims) => {
    expect(imageDims(shape)).toEqual(dims);
  });

  it('keeps the most common shape, newest first, up to max, and assembles its pixels in order', () => {
    const samples = [
      { id: 9, label: 1, shape: [2, 2] },
      { id: 8, label: 2, shape: [2, 2, 1] },
      { id: 7, label: 3, shape: [3, 3, 1] },
      { id: 6, label: 300, shape: [2, 2, 1] }, // not a uint8 label
      { id: 5, label: 4, shape: [1, 2, 2, 1] },
      { id: 4, label: 5, shape: [3, 3, 1] },
    ];
    const choice = pickImageSamples(samples, 2)!;
    expect(choice.dims).toEqual([2, 2, 1]);
    expect(choice.picked.map((s) => s.id)).toEqual([9, 8]);
    const data = new Map([9, 8, 5].map((id) => [id, new Uint8Array(4).fill(id)]));
    const set = assembleImageSet(choice.dims, pickImageSamples(samples, 10)!.picked, data);
    expect(set).toMatchObject({ count: 3, height: 2, width: 2, channels: 1 });
    expect(Array.from(set.labels)).toEqual([1, 2, 4]);
    expect(Array.from(set.images)).toEqual([9, 9, 9, 9, 8, 8, 8, 8, 5, 5, 5, 5]);
  });

  it('breaks a tie in favour of the newest sample, and has nothing to offer without samples', () => {
    expect(
      pickImageSamples(
        [
          { id: 2, label: 0, shape: [3, 3, 1] },
          { id: 1, label: 0, shape: [2, 2, 1] },
        ],
        5,
      )!.dims,
    ).toEqual([3, 3, 1]);
    expect(pickImageSamples([], 5)).toBeUndefined();
  });
});
