import { readFileSync, statSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { DatasetError } from './dataset-error';
import { withDefaults } from './with-defaults';
import { DEFAULT_IDX_LIMITS, IdxArray, IdxLimits } from './idx-array';
import { parseIdx } from './parse-idx';

// gzip members start with 1f 8b (RFC 1952 section 2.3.1); IDX files start with 00 00.
const GZIP_ID1 = 0x1f;
const GZIP_ID2 = 0x8b;

/**
 * Reads an IDX file from disk, raw (`*-ubyte`) or gzip-compressed (`*-ubyte.gz`, detected by
 * its magic bytes, not its name), and parses it with {@link parseIdx}.
 * Neither the file nor its decompressed form may exceed `maxDataBytes` plus the largest header,
 * so a gzip bomb stops with `TOO_LARGE` instead of filling memory.
 * @example readIdxFile('/usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz').dims // [10000]
 */
export function readIdxFile(path: string, limits: Partial<IdxLimits> = {}): IdxArray {
  const merged = withDefaults(DEFAULT_IDX_LIMITS, limits);
  const maxFileBytes = merged.maxDataBytes + 4 + 4 * merged.maxRank;
  const bytes = readBounded(path, maxFileBytes);
  const raw =
    bytes[0] === GZIP_ID1 && bytes[1] === GZIP_ID2 ? gunzipBounded(path, bytes, maxFileBytes) : bytes;
  try {
    return parseIdx(raw, merged);
  } catch (err) {
    if (err instanceof DatasetError) throw new DatasetError(err.code, `${path}: ${stripPrefix(err.message)}`);
    throw err;
  }
}

function readBounded(path: string, maxBytes: number): Uint8Array {
  try {
    const size = statSync(path).size;
    if (size > maxBytes) {
      throw new DatasetError('TOO_LARGE', `${path} is ${size} bytes, over the ${maxBytes}-byte limit`);
    }
    return readFileSync(path);
  } catch (err) {
    if (err instanceof DatasetError) throw err;
    const code = (err as NodeJS.ErrnoException).code ?? 'unknown error';
    throw new DatasetError('READ_FAILED', `cannot read ${path} (${code}); check the path and permissions`);
  }
}

function gunzipBounded(path: string, bytes: Uint8Array, maxBytes: number): Uint8Array {
  try {
    return gunzipSync(bytes, { maxOutputLength: maxBytes });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ERR_BUFFER_TOO_LARGE') {
      throw new DatasetError('TOO_LARGE', `${path} decompresses to more than ${maxBytes} bytes`);
    }
    throw new DatasetError('CORRUPT', `${path} is not a valid gzip stream (${code ?? String(err)})`);
  }
}

function stripPrefix(message: string): string {
  return message.replace(/^Datasets: /, '');
}
