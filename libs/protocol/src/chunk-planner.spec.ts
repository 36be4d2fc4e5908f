import { ChunkPlanner } from './chunk-planner';
import { protocolErrorOf } from './testing/protocol-error-code';

describe(ChunkPlanner.name, () => {
  it('cuts an artifact into fixed chunks, the last one short', () => {
    const p = new ChunkPlanner(1000, 256);
    expect(p.chunkCount).toBe(4);
    expect(p.rangeOf(3)).toEqual({ index: 3, offset: 768, length: 232 });
    expect(p.indexOf(768, 232)).toBe(3);
    expect(p.indexOf(768, 256)).toBeUndefined(); // wrong length
    expect(p.indexOf(100, 256)).toBeUndefined(); // misaligned
    expect(p.indexOf(1024, 1)).toBeUndefined(); // past the end
  });

  it('hands out missing chunks lowest first, never more than the window', () => {
    const p = new ChunkPlanner(10 * 100, 100);
    expect(p.next(3).map((r) => r.index)).toEqual([0, 1, 2]);
    expect(p.next(3)).toEqual([]); // window full
    p.markReceived(1);
    expect(p.next(3).map((r) => r.index)).toEqual([3]);
    p.release(0); // e.g. a corrupt chunk 0
    expect(p.next(3).map((r) => r.index)).toEqual([0]);
    p.releaseAll();
    expect(p.next(10).map((r) => r.index)).toEqual([0, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('tracks received bytes, the contiguous prefix and completion', () => {
    const p = new ChunkPlanner(1000, 256);
    expect(p.markReceived(0)).toBe(true);
    expect(p.markReceived(2)).toBe(true);
    expect(p.markReceived(2)).toBe(false);
    expect(p.receivedBytes).toBe(512);
    expect(p.contiguousBytes).toBe(256);
    p.markReceived(1);
    p.markReceived(3);
    expect(p.contiguousBytes).toBe(1000);
    expect(p.complete).toBe(true);
  });

  it('restores out-of-order progress from a snapshot', () => {
    const p = new ChunkPlanner(5000, 256);
    [0, 1, 5, 19].forEach((i) => p.markReceived(i));
    const restored = ChunkPlanner.restore(JSON.parse(JSON.stringify(p.snapshot())));
    expect(restored.receivedBytes).toBe(p.receivedBytes);
    expect(restored.next(3).map((r) => r.index)).toEqual([2, 3, 4]);
    expect(restored.has(19)).toBe(true);
  });

  it.each([
    ['size 0', () => new ChunkPlanner(0, 256), 'TOO_LARGE'],
    ['size above the model limit', () => new ChunkPlanner(2 ** 26 + 1, 4096), 'TOO_LARGE'],
    ['chunk size 0', () => new ChunkPlanner(10, 0), 'INVALID_MESSAGE'],
    [
      'a bitmap of the wrong length',
      () => ChunkPlanner.restore({ totalSize: 5000, chunkSize: 256, received: 'AA==' }),
      'INVALID_MESSAGE',
    ],
  ])('refuses %s', (_label, make, code) => {
    expect(protocolErrorOf(make).code).toBe(code);
  });
});
