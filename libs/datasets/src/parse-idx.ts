import { DatasetError } from './dataset-error';
import { withDefaults } from './with-defaults';
import { DEFAULT_IDX_LIMITS, IDX_TYPE_CODES, IdxArray, IdxLimits, IdxType } from './idx-array';

// IDX header: two zero bytes, a type byte, a rank byte, then one big-endian uint32 per dimension.
const MAGIC_BYTES = 4;
const DIM_BYTES = 4;

/**
 * Parses an IDX file (the MNIST / Fashion-MNIST container) from uncompressed bytes.
 * The input is untrusted: the magic, type byte, rank and dims are checked against the byte
 * length and `limits` before anything is allocated, so garbage gives a `CORRUPT` (or `TOO_LARGE`)
 * {@link DatasetError}, never a crash. Multi-byte elements are big-endian on disk.
 * @example parseIdx(bytes) // { dims: [60000], type: 'uint8', data: Uint8Array(60000) }
 */
export function parseIdx(bytes: Uint8Array, limits: Partial<IdxLimits> = {}): IdxArray {
  const { maxDataBytes, maxRank } = withDefaults(DEFAULT_IDX_LIMITS, limits);
  if (bytes.length < MAGIC_BYTES) {
    throw corrupt(`${bytes.length} bytes is shorter than the 4-byte IDX magic number`);
  }
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    throw corrupt(`magic number must start with two zero bytes, got 0x${hex(bytes[0])}${hex(bytes[1])}`);
  }
  const typeInfo = IDX_TYPE_CODES.get(bytes[2]);
  if (!typeInfo) {
    throw corrupt(`unknown element type byte 0x${hex(bytes[2])} (expected 08, 09, 0b, 0c, 0d or 0e)`);
  }
  const rank = bytes[3];
  if (rank === 0) throw corrupt('rank 0: an IDX file needs at least one dimension');
  if (rank > maxRank) {
    throw new DatasetError('TOO_LARGE', `IDX rank ${rank} exceeds the limit of ${maxRank} (raise maxRank)`);
  }
  const headerBytes = MAGIC_BYTES + rank * DIM_BYTES;
  if (bytes.length < headerBytes) {
    throw corrupt(`truncated header: rank ${rank} needs ${headerBytes} bytes, file has ${bytes.length}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims: number[] = [];
  let dataBytes = typeInfo.size;
  for (let d = 0; d < rank; d++) {
    const dim = view.getUint32(MAGIC_BYTES + d * DIM_BYTES, false);
    dims.push(dim);
    // Checked per step so the running product stays an exact integer (< 2^53).
    dataBytes *= dim;
    if (dataBytes > maxDataBytes) {
      throw new DatasetError(
        'TOO_LARGE',
        `IDX dims [${dims.join(', ')}${d < rank - 1 ? ', ...' : ''}] exceed the data limit of ` +
          `${maxDataBytes} bytes (raise maxDataBytes if the file is trusted)`,
      );
    }
  }
  const expected = headerBytes + dataBytes;
  if (bytes.length !== expected) {
    const what = bytes.length < expected ? 'truncated' : 'trailing bytes';
    throw corrupt(`${what}: dims [${dims.join(', ')}] need ${expected} bytes, file has ${bytes.length}`);
  }
  return decode(typeInfo.type, dims, view, headerBytes, dataBytes / typeInfo.size);
}

// Copies out of the input so the result never aliases a pooled Node Buffer slab.
function decode(type: IdxType, dims: number[], view: DataView, offset: number, count: number): IdxArray {
  switch (type) {
    case 'uint8': {
      const data = new Uint8Array(count);
      data.set(new Uint8Array(view.buffer, view.byteOffset + offset, count));
      return { dims, type, data };
    }
    case 'int8': {
      const data = new Int8Array(count);
      data.set(new Int8Array(view.buffer, view.byteOffset + offset, count));
      return { dims, type, data };
    }
    case 'int16': {
      const data = new Int16Array(count);
      for (let i = 0; i < count; i++) data[i] = view.getInt16(offset + i * 2, false);
      return { dims, type, data };
    }
    case 'int32': {
      const data = new Int32Array(count);
      for (let i = 0; i < count; i++) data[i] = view.getInt32(offset + i * 4, false);
      return { dims, type, data };
    }
    case 'float32': {
      const data = new Float32Array(count);
      for (let i = 0; i < count; i++) data[i] = view.getFloat32(offset + i * 4, false);
      return { dims, type, data };
    }
    case 'float64': {
      const data = new Float64Array(count);
      for (let i = 0; i < count; i++) data[i] = view.getFloat64(offset + i * 8, false);
      return { dims, type, data };
    }
  }
}

function corrupt(detail: string): DatasetError {
  return new DatasetError('CORRUPT', `not a valid IDX file: ${detail}`);
}

function hex(byte: number): string {
  return byte.toString(16).padStart(2, '0');
}
