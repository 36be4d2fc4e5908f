import { crc32 } from './crc32';
import { CHUNK_HEADER_SIZE, MAX_CHUNK_SIZE, U32_MAX } from './limits';
import { ProtocolError } from './protocol-error';

/**
 * Binary `ota/chunk` frame, big-endian (network order), 20-byte header then payload:
 *
 *   0  2  magic 0x46 0x50 ("FP")
 *   2  1  frame version, 1
 *   3  1  flags: bit 0 = last chunk of the artifact; bits 1-7 zero
 *   4  4  session (u32, from the offer)
 *   8  4  offset of the payload in the artifact (u32)
 *  12  4  payload length (u32, 1..MAX_CHUNK_SIZE)
 *  16  4  CRC-32 over bytes 0-15 and then the payload
 *  20  n  payload
 *
 * The frame must be exactly 20 + length bytes. The CRC covers the header too, so a damaged
 * offset cannot place good bytes at the wrong address.
 */
export const CHUNK_MAGIC = 0x4650;
export const CHUNK_FRAME_VERSION = 1;
export const CHUNK_FLAG_LAST = 0x01;

/** A decoded chunk frame; `payload` is a view into the frame's bytes, not a copy. */
export interface ChunkFrame {
  session: number;
  offset: number;
  last: boolean;
  payload: Uint8Array;
}

function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function frameCrc(frame: Uint8Array, payloadLength: number): number {
  const header = crc32(frame.subarray(0, 16));
  return crc32(frame.subarray(CHUNK_HEADER_SIZE, CHUNK_HEADER_SIZE + payloadLength), header);
}

/** Builds the frame for one chunk; throws on a payload or position the format cannot hold. */
export function encodeChunkFrame(chunk: ChunkFrame): Buffer {
  const n = chunk.payload.length;
  if (n < 1 || n > MAX_CHUNK_SIZE)
    throw new ProtocolError('TOO_LARGE', `chunk payload of ${n} bytes must be 1-${MAX_CHUNK_SIZE}`);
  const positionOk = [chunk.session, chunk.offset].every(
    (x) => Number.isInteger(x) && x >= 0 && x <= U32_MAX,
  );
  if (!positionOk || chunk.session === 0 || chunk.offset + n > U32_MAX + 1)
    throw new ProtocolError(
      'INVALID_MESSAGE',
      'chunk session must be a non-zero u32 and offset + length fit in u32',
    );
  // Every byte is written below (20 header bytes, then the payload): no need to zero-fill.
  const frame = Buffer.allocUnsafe(CHUNK_HEADER_SIZE + n);
  const v = view(frame);
  v.setUint16(0, CHUNK_MAGIC);
  v.setUint8(2, CHUNK_FRAME_VERSION);
  v.setUint8(3, chunk.last ? CHUNK_FLAG_LAST : 0);
  v.setUint32(4, chunk.session);
  v.setUint32(8, chunk.offset);
  v.setUint32(12, n);
  frame.set(chunk.payload, CHUNK_HEADER_SIZE);
  v.setUint32(16, frameCrc(frame, n));
  return frame;
}

/**
 * Decodes and checks one frame: structure first (INVALID_MESSAGE, UNSUPPORTED_VERSION,
 * TOO_LARGE), then the CRC (CORRUPT_CHUNK). Whether the chunk is the one the device asked for
 * is the assembler's business.
 */
export function parseChunkFrame(bytes: Uint8Array): ChunkFrame {
  if (bytes.length < CHUNK_HEADER_SIZE)
    throw new ProtocolError(
      'INVALID_MESSAGE',
      `chunk frame of ${bytes.length} bytes is shorter than its header`,
    );
  const v = view(bytes);
  if (v.getUint16(0) !== CHUNK_MAGIC)
    throw new ProtocolError('INVALID_MESSAGE', 'chunk frame does not start with the magic "FP"');
  const version = v.getUint8(2);
  if (version !== CHUNK_FRAME_VERSION)
    throw new ProtocolError(
      'UNSUPPORTED_VERSION',
      `chunk frame version ${version}; this side speaks ${CHUNK_FRAME_VERSION}`,
    );
  const flags = v.getUint8(3);
  if (flags & ~CHUNK_FLAG_LAST)
    throw new ProtocolError('INVALID_MESSAGE', `chunk frame flags 0x${flags.toString(16)} set reserved bits`);
  const session = v.getUint32(4);
  const offset = v.getUint32(8);
  const length = v.getUint32(12);
  if (session === 0) throw new ProtocolError('INVALID_MESSAGE', 'chunk frame session must not be 0');
  if (length > MAX_CHUNK_SIZE)
    throw new ProtocolError('TOO_LARGE', `chunk frame length ${length} exceeds ${MAX_CHUNK_SIZE}`);
  if (length === 0 || bytes.length !== CHUNK_HEADER_SIZE + length)
    throw new ProtocolError(
      'INVALID_MESSAGE',
      `chunk frame length field says ${length} payload bytes but the frame holds ${bytes.length - CHUNK_HEADER_SIZE}`,
    );
  if (offset + length > U32_MAX + 1)
    throw new ProtocolError(
      'INVALID_MESSAGE',
      `chunk frame offset ${offset} + length ${length} overflows u32`,
    );
  const stored = v.getUint32(16);
  const actual = frameCrc(bytes, length);
  if (stored !== actual)
    throw new ProtocolError(
      'CORRUPT_CHUNK',
      `chunk at offset ${offset} has CRC 0x${actual.toString(16)}, frame says 0x${stored.toString(16)}; request it again`,
    );
  return {
    session,
    offset,
    last: (flags & CHUNK_FLAG_LAST) !== 0,
    payload: bytes.subarray(CHUNK_HEADER_SIZE),
  };
}
