import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DatasetError } from './dataset-error';
import { readIdxFile } from './read-idx-file';

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof DatasetError) return err.code;
    throw err;
  }
  return 'no error';
}

// uint8 IDX, dims [2, 3], built by hand: magic 00 00 08 02, dims 2 and 3, six pixels.
const RAW = Uint8Array.from([0, 0, 8, 2, 0, 0, 0, 2, 0, 0, 0, 3, 10, 20, 30, 40, 50, 60]);

describe(readIdxFile.name, () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'fleetprune-idx-'));
    writeFileSync(join(dir, 'plain-ubyte'), RAW);
    writeFileSync(join(dir, 'packed-ubyte.gz'), gzipSync(RAW));
    // Compression is detected from the bytes, not from the name.
    writeFileSync(join(dir, 'misnamed.gz'), RAW);
    writeFileSync(join(dir, 'gzipped-without-suffix'), gzipSync(RAW));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each(['plain-ubyte', 'packed-ubyte.gz', 'misnamed.gz', 'gzipped-without-suffix'])(
    'reads %s to the same array',
    (name) => {
      const parsed = readIdxFile(join(dir, name));
      expect(parsed.type).toBe('uint8');
      expect(parsed.dims).toEqual([2, 3]);
      expect(Array.from(parsed.data)).toEqual([10, 20, 30, 40, 50, 60]);
    },
  );

  it('stops a gzip bomb at the size limit with TOO_LARGE', () => {
    // 8 MiB of zeros compresses to ~8 KB; with a 1 MiB limit gunzip must stop early.
    const bomb = join(dir, 'bomb.gz');
    writeFileSync(bomb, gzipSync(new Uint8Array(8 * 1024 * 1024)));
    expect(codeOf(() => readIdxFile(bomb, { maxDataBytes: 1024 * 1024 }))).toBe('TOO_LARGE');
  });

  it('refuses a raw file bigger than the limit before reading it', () => {
    const big = join(dir, 'big-ubyte');
    writeFileSync(big, new Uint8Array(4096));
    expect(codeOf(() => readIdxFile(big, { maxDataBytes: 1000 }))).toBe('TOO_LARGE');
  });

  it('reports a truncated gzip stream as CORRUPT', () => {
    const cut = join(dir, 'cut.gz');
    const packed = gzipSync(RAW);
    writeFileSync(cut, packed.subarray(0, packed.length - 6));
    expect(codeOf(() => readIdxFile(cut))).toBe('CORRUPT');
  });

  it('puts the path into parse errors', () => {
    const bad = join(dir, 'bad-ubyte');
    writeFileSync(bad, RAW.subarray(0, 15));
    expect(() => readIdxFile(bad)).toThrow(`Datasets: ${bad}: not a valid IDX file: truncated`);
  });

  it('reports a missing file or a directory as READ_FAILED', () => {
    expect(codeOf(() => readIdxFile(join(dir, 'absent-ubyte')))).toBe('READ_FAILED');
    const sub = join(dir, 'a-directory');
    mkdirSync(sub);
    expect(codeOf(() => readIdxFile(sub))).toBe('READ_FAILED');
  });
});
