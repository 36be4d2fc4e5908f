import { crc32 } from './crc32';
import { encodeChunkFrame, parseChunkFrame } from './chunk-frame';
import { protocolErrorOf } from './testing/protocol-error-code';
import { randomBytes, seededRandom } from './testing/seeded-random';

// The documented layout, written out byte by byte independently of the encoder.
function handFrame(session: number, offset: number, payload: number[], last: boolean): Buffer {
  const header = [0x46, 0x50, 1, last ? 1 : 0];
  for (const x of [session, offset, payload.length])
    header.push((x >>> 24) & 0xff, (x >>> 16) & 0xff, (x >>> 8) & 0xff, x & 0xff);
  const crc = crc32(Buffer.from(payload), crc32(Buffer.from(header)));
  header.push((crc >>> 24) & 0xff, (crc >>> 16) & 0xff, (crc >>> 8) & 0xff, crc & 0xff);
  return Buffer.from([...header, ...payload]);
}

describe(parseChunkFrame.name, () => {
  const payload = [1, 2, 3, 250, 0];
  const frame = handFrame(0x01020304, 0x00001000, payload, true);

  it('encodes the documented byte layout', () => {
    const encoded = encodeChunkFrame({
      session: 0x01020304,
      offset: 4096,
      last: true,
      payload: Buffer.from(payload),
    });
    expect(encoded).toEqual(frame);
    expect(encoded.subarray(0, 16).toString('hex')).toBe('46500101' + '01020304' + '00001000' + '00000005');
  });

  it('matches a conformance frame built with Python zlib (session 42, offset 8192, payload "TFL3")', () => {
    const python = '46 50 01 00 00 00 00 2a 00 00 20 00 00 00 00 04 ef 8e 47 d6 54 46 4c 33';
    const ours = encodeChunkFrame({ session: 42, offset: 8192, last: false, payload: Buffer.from('TFL3') });
    expect(ours.toString('hex').match(/../g)?.join(' ')).toBe(python);
    expect(parseChunkFrame(Buffer.from(python.replace(/ /g, ''), 'hex')).offset).toBe(8192);
  });

  it('decodes a hand-built frame, payload as a view', () => {
    const parsed = parseChunkFrame(frame);
    expect(parsed).toEqual({ session: 0x01020304, offset: 4096, last: true, payload: expect.anything() });
    expect(Array.from(parsed.payload)).toEqual(payload);
    expect(parsed.payload.buffer).toBe(frame.buffer);
  });

  it('round-trips the largest chunk at the highest offset that fits in u32', () => {
    const big = randomBytes(seededRandom(3), 65536);
    const offset = 2 ** 32 - 65536;
    const parsed = parseChunkFrame(
      encodeChunkFrame({ session: 0xffffffff, offset, last: false, payload: big }),
    );
    expect(parsed.offset).toBe(offset);
    expect(Buffer.from(parsed.payload).equals(Buffer.from(big))).toBe(true);
  });

  const patch = (at: number, value: number): Buffer => {
    const copy = Buffer.from(frame);
    copy[at] = value;
    return copy;
  };
  it.each([
    ['a frame shorter than its header', frame.subarray(0, 19), 'INVALID_MESSAGE'],
    ['a wrong magic', patch(0, 0x47), 'INVALID_MESSAGE'],
    ['frame version 2', patch(2, 2), 'UNSUPPORTED_VERSION'],
    ['a reserved flag bit', patch(3, 0x03), 'INVALID_MESSAGE'],
    [
      'session 0',
      Buffer.concat([frame.subarray(0, 4), Buffer.alloc(4), frame.subarray(8)]),
      'INVALID_MESSAGE',
    ],
    ['a length field above the limit', patch(13, 0x01), 'TOO_LARGE'],
    ['a length field of 6 for 5 bytes', patch(15, 6), 'INVALID_MESSAGE'],
    ['a length field of 0', patch(15, 0), 'INVALID_MESSAGE'],
    ['a trailing byte', Buffer.concat([frame, Buffer.from([0])]), 'INVALID_MESSAGE'],
    ['a truncated payload', frame.subarray(0, frame.length - 1), 'INVALID_MESSAGE'],
    ['a flipped payload bit', patch(21, frame[21] ^ 0x10), 'CORRUPT_CHUNK'],
    ['a changed offset (covered by the CRC)', patch(10, 0x20), 'CORRUPT_CHUNK'],
    ['a cleared last flag (covered by the CRC)', patch(3, 0), 'CORRUPT_CHUNK'],
    ['a damaged CRC', patch(19, frame[19] ^ 1), 'CORRUPT_CHUNK'],
    ['offset + length past u32', handFrame(1, 0xfffffffe, payload, false), 'INVALID_MESSAGE'],
  ])('refuses %s', (_label, bytes, code) => {
    expect(protocolErrorOf(() => parseChunkFrame(bytes)).code).toBe(code);
  });

  it.each([
    ['an empty payload', { session: 1, offset: 0, last: true, payload: new Uint8Array(0) }, 'TOO_LARGE'],
    [
      'a payload over 64 KiB',
      { session: 1, offset: 0, last: true, payload: new Uint8Array(65537) },
      'TOO_LARGE',
    ],
    ['session 0', { session: 0, offset: 0, last: true, payload: new Uint8Array(1) }, 'INVALID_MESSAGE'],
    [
      'a negative offset',
      { session: 1, offset: -1, last: true, payload: new Uint8Array(1) },
      'INVALID_MESSAGE',
    ],
    [
      'an offset past u32',
      { session: 1, offset: 2 ** 32 - 1, last: true, payload: new Uint8Array(2) },
      'INVALID_MESSAGE',
    ],
  ])('will not encode %s', (_label, chunk, code) => {
    expect(protocolErrorOf(() => encodeChunkFrame(chunk)).code).toBe(code);
  });

  it('never throws anything but ProtocolError on fuzzed frames', () => {
    const rand = seededRandom(4);
    let corrupt = 0;
    for (let i = 0; i < 5000; i++) {
      let bytes: Uint8Array;
      if (i % 2 === 0) {
        bytes = Buffer.from(frame);
        bytes[Math.floor(rand() * bytes.length)] ^= 1 + Math.floor(rand() * 255);
      } else {
        bytes = randomBytes(rand, Math.floor(rand() * 40));
      }
      const err = protocolErrorOf(() => parseChunkFrame(bytes));
      expect(err.code).not.toBe('no error'); // every single-byte change is caught
      if (err.code === 'CORRUPT_CHUNK') corrupt++;
    }
    expect(corrupt).toBeGreaterThan(0);
  });
});
