import { DatasetError } from './dataset-error';
import { IdxType } from './idx-array';
import { parseIdx } from './parse-idx';

// Builds IDX bytes the way the format describes them, independently of the parser:
// 00 00 <type> <rank>, big-endian uint32 dims, big-endian elements.
const WRITERS: Record<
  IdxType,
  { code: number; size: number; write: (v: DataView, at: number, x: number) => void }
> = {
  uint8: { code: 0x08, size: 1, write: (v, at, x) => v.setUint8(at, x) },
  int8: { code: 0x09, size: 1, write: (v, at, x) => v.setInt8(at, x) },
  int16: { code: 0x0b, size: 2, write: (v, at, x) => v.setInt16(at, x, false) },
  int32: { code: 0x0c, size: 4, write: (v, at, x) => v.setInt32(at, x, false) },
  float32: { code: 0x0d, size: 4, write: (v, at, x) => v.setFloat32(at, x, false) },
  float64: { code: 0x0e, size: 8, write: (v, at, x) => v.setFloat64(at, x, false) },
};

function idxBytes(type: IdxType, dims: number[], values: number[]): Uint8Array {
  const { code, size, write } = WRITERS[type];
  const header = 4 + 4 * dims.length;
  const bytes = new Uint8Array(header + values.length * size);
  const view = new DataView(bytes.buffer);
  view.setUint8(2, code);
  view.setUint8(3, dims.length);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  values.forEach((x, i) => write(view, header + i * size, x));
  return bytes;
}

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof DatasetError) return err.code;
    throw err;
  }
  return 'no error';
}

describe(parseIdx.name, () => {
  const cases: { type: IdxType; dims: number[]; values: number[] }[] = [
    { type: 'uint8', dims: [2, 3], values: [0, 1, 127, 128, 254, 255] },
    { type: 'int8', dims: [4], values: [-128, -1, 0, 127] },
    { type: 'int16', dims: [1, 2, 2], values: [-32768, -2, 258, 32767] },
    { type: 'int32', dims: [3], values: [-2147483648, 16909060, 2147483647] },
    { type: 'float32', dims: [2], values: [1.5, -0.25] },
    { type: 'float64', dims: [2, 1], values: [Math.PI, -1e300] },
    { type: 'uint8', dims: [0, 28, 28], values: [] },
  ];

  it.each(cases)('decodes $type with dims $dims in host byte order', ({ type, dims, values }) => {
    const parsed = parseIdx(idxBytes(type, dims, values));
    expect(parsed.type).toBe(type);
    expect(parsed.dims).toEqual(dims);
    expect(Array.from(parsed.data)).toEqual(values);
  });

  it('returns data that owns its memory, even for a view into a larger buffer', () => {
    const inner = idxBytes('uint8', [3], [7, 8, 9]);
    const outer = new Uint8Array(inner.length + 10);
    outer.set(inner, 5);
    const input = outer.subarray(5, 5 + inner.length);
    const parsed = parseIdx(input);
    outer.fill(0);
    expect(Array.from(parsed.data)).toEqual([7, 8, 9]);
    expect(parsed.data.byteOffset).toBe(0);
    expect(parsed.data.buffer.byteLength).toBe(3);
  });

  it.each([
    ['empty input', new Uint8Array(0)],
    ['3 bytes', new Uint8Array([0, 0, 8])],
    ['wrong magic (first byte)', Uint8Array.from([1, 0, 8, 1, 0, 0, 0, 1, 5])],
    ['wrong magic (second byte)', Uint8Array.from([0, 9, 8, 1, 0, 0, 0, 1, 5])],
    ['unknown type byte 0x0a', Uint8Array.from([0, 0, 0x0a, 1, 0, 0, 0, 1, 5])],
    ['rank 0', Uint8Array.from([0, 0, 8, 0])],
    ['header cut inside the dims', Uint8Array.from([0, 0, 8, 3, 0, 0, 0, 2, 0, 0])],
    ['data one byte short', idxBytes('uint8', [2, 2], [1, 2, 3, 4]).subarray(0, 15)],
    ['int32 data cut mid-element', idxBytes('int32', [2], [1, 2]).subarray(0, 14)],
    ['trailing garbage', Uint8Array.from([...idxBytes('uint8', [2], [1, 2]), 0])],
    ['a gzip stream passed as raw IDX', Uint8Array.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0])],
  ])('rejects %s as CORRUPT', (_name, bytes) => {
    expect(codeOf(() => parseIdx(bytes))).toBe('CORRUPT');
  });

  it('rejects dims whose product is astronomically large as TOO_LARGE without allocating', () => {
    const header = idxBytes('float64', [0xffffffff, 0xffffffff, 0xffffffff], []);
    expect(codeOf(() => parseIdx(header))).toBe('TOO_LARGE');
  });

  it('honours maxDataBytes and maxRank', () => {
    const bytes = idxBytes('int16', [10], new Array<number>(10).fill(1));
    expect(codeOf(() => parseIdx(bytes, { maxDataBytes: 19 }))).toBe('TOO_LARGE');
    expect(parseIdx(bytes, { maxDataBytes: 20 }).dims).toEqual([10]);
    const deep = idxBytes('uint8', [1, 1, 1, 1], [3]);
    expect(codeOf(() => parseIdx(deep, { maxRank: 3 }))).toBe('TOO_LARGE');
    expect(codeOf(() => parseIdx(deep, { maxRank: 4 }))).toBe('no error');
  });

  it('names what is wrong in the message', () => {
    expect(() => parseIdx(idxBytes('uint8', [2, 2], [1, 2, 3, 4]).subarray(0, 15))).toThrow(
      /^Datasets: not a valid IDX file: truncated: dims \[2, 2\] need 16 bytes, file has 15$/,
    );
  });

  it('survives fuzzing: mutated and truncated inputs only ever throw DatasetError', () => {
    const valid = idxBytes(
      'int16',
      [3, 4],
      Array.from({ length: 12 }, (_, i) => i * 1000 - 6000),
    );
    let seed = 12345;
    const next = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    const outcomes = new Set<string>();
    for (let round = 0; round < 3000; round++) {
      const bytes = valid.slice(0, Math.floor(next() * (valid.length + 1)));
      const flips = Math.floor(next() * 4);
      for (let f = 0; f < flips && bytes.length > 0; f++) {
        bytes[Math.floor(next() * bytes.length)] = Math.floor(next() * 256);
      }
      outcomes.add(codeOf(() => parseIdx(bytes)));
    }
    for (const outcome of outcomes) expect(['no error', 'CORRUPT', 'TOO_LARGE']).toContain(outcome);
    expect(outcomes.has('CORRUPT')).toBe(true);
  });
});
