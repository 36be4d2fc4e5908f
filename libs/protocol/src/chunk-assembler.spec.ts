import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ChunkAssembler } from './chunk-assembler';
import { encodeChunkFrame } from './chunk-frame';
import { CHUNK_HEADER_SIZE } from './limits';
import { OtaChunkRequest } from './messages/ota-request';
import { serveChunk } from './serve-chunk';
import { sha256Hex } from './sha256-hex';
import { protocolErrorOf } from './testing/protocol-error-code';

// A real TFLite Micro model (18,800 bytes): 74 chunks of 256, the last one 112 bytes.
const MODEL = readFileSync(
  join(__dirname, '../../../../shared/testdata/tflite/micro_speech_quantized.tflite'),
);
const SESSION = 0xc0ffee;
const CHUNK = 256;
const target = { session: SESSION, size: MODEL.length, sha256: sha256Hex(MODEL), chunkSize: CHUNK };

/** The server's answer to a request, through the real serveChunk. */
const answer = (r: OtaChunkRequest): Buffer => serveChunk(MODEL, SESSION, CHUNK, r);

/** Runs request/answer rounds until done; `tamper` may drop (undefined) or alter frames. */
function download(
  a: ChunkAssembler,
  tamper: (frame: Buffer, r: OtaChunkRequest) => Buffer | undefined = (f) => f,
): OtaChunkRequest[] {
  const asked: OtaChunkRequest[] = [];
  for (let round = 0; !a.complete && round < 1000; round++) {
    const batch = a.requests();
    if (batch.length === 0) a.retryOutstanding(); // nothing answered: the device's timeout
    for (const r of batch) {
      asked.push(r);
      const frame = tamper(answer(r), r);
      if (frame) a.accept(frame);
    }
  }
  return asked;
}

describe(ChunkAssembler.name, () => {
  it('assembles a real model and verifies its size and SHA-256', () => {
    const a = new ChunkAssembler(target, { maxInFlight: 4 });
    const asked = download(a);
    expect(asked).toHaveLength(Math.ceil(MODEL.length / CHUNK));
    expect(Buffer.from(a.finish()).equals(MODEL)).toBe(true);
  });

  it('without holdBytes, hands each payload to the caller to place and keeps no copy', () => {
    const a = new ChunkAssembler(target, { maxInFlight: 4, holdBytes: false });
    const slot = Buffer.alloc(MODEL.length);
    for (let round = 0; !a.complete && round < 100; round++)
      for (const r of a.requests()) {
        const frame = answer(r);
        const outcome = a.accept(frame);
        if (outcome.accepted) frame.subarray(CHUNK_HEADER_SIZE).copy(slot, outcome.offset);
      }
    expect(a.complete).toBe(true);
    expect(slot.equals(MODEL)).toBe(true);
    expect(() => a.finish()).toThrow(/holdBytes: false/);
    expect(() => a.prefix()).toThrow(/holdBytes: false/);
  });

  it('keeps at most maxInFlight requests outstanding', () => {
    const a = new ChunkAssembler(target, { maxInFlight: 3 });
    expect(a.requests().map((r) => r.offset)).toEqual([0, 256, 512]);
    expect(a.requests()).toEqual([]);
  });

  it('re-requests lost chunks after a timeout, and only those', () => {
    const a = new ChunkAssembler(target, { maxInFlight: 8 });
    let n = 0;
    const asked = download(a, (f) => (n++ % 5 === 2 ? undefined : f)); // every 5th frame is lost
    expect(Buffer.from(a.finish()).equals(MODEL)).toBe(true);
    const offsets = asked.map((r) => r.offset);
    expect(new Set(offsets).size).toBe(74);
    expect(offsets.length).toBeLessThan(74 * 1.4);
  });

  it('fetches a corrupted chunk again and never stores it', () => {
    const a = new ChunkAssembler(target);
    let corrupted = 0;
    download(a, (f, r) => {
      if (r.offset !== 1024 || corrupted++ > 0) return f;
      const bad = Buffer.from(f);
      bad[30] ^= 0xff;
      expect(a.accept(bad)).toMatchObject({ accepted: false, reason: 'corrupt' });
      // Asked again at once, without waiting for a timeout.
      expect(a.requests().map((x) => x.offset)).toContain(1024);
      return undefined;
    });
    expect(corrupted).toBe(2); // asked twice for offset 1024
    expect(Buffer.from(a.finish()).equals(MODEL)).toBe(true);
  });

  it('resumes after a reboot from the persisted prefix without asking for it again', () => {
    const first = new ChunkAssembler(target, { maxInFlight: 2 });
    for (let i = 0; i < 10; i++) for (const r of first.requests()) first.accept(answer(r));
    const kept = Buffer.from(first.prefix()); // what the device wrote to its inactive slot
    expect(kept.length).toBe(first.lastGoodOffset);
    expect(kept.length).toBe(20 * CHUNK);

    const second = new ChunkAssembler(target, { maxInFlight: 2 });
    second.resume(kept);
    const asked = download(second);
    expect(Math.min(...asked.map((r) => r.offset))).toBe(kept.length);
    expect(Buffer.from(second.finish()).equals(MODEL)).toBe(true);
  });

  it('resumes from a prefix that ends mid-chunk at the start of that chunk', () => {
    const a = new ChunkAssembler(target);
    a.resume(MODEL.subarray(0, 300));
    expect(a.lastGoodOffset).toBe(256);
    expect(a.requests()[0].offset).toBe(256);
  });

  const frame = (offset: number, length: number, last = false, session = SESSION): Buffer =>
    encodeChunkFrame({ session, offset, last, payload: MODEL.subarray(offset, offset + length) });
  it.each([
    ['a frame of another session', frame(0, CHUNK, false, SESSION + 1), 'session'],
    ['a misaligned offset', frame(100, CHUNK), 'offset'],
    ['a chunk of the wrong length', frame(0, 128), 'offset'],
    ['a last flag on a middle chunk', frame(0, CHUNK, true), 'offset'],
    ['a final chunk without the last flag', frame(73 * CHUNK, 112, false), 'offset'],
    ['bytes that are no frame', Buffer.from('hello world, not a frame'), 'malformed'],
  ])('rejects %s', (_label, bytes, reason) => {
    const a = new ChunkAssembler(target);
    expect(a.accept(bytes)).toMatchObject({ accepted: false, reason });
    expect(a.received).toBe(0);
  });

  it('reports a duplicate without counting it twice', () => {
    const a = new ChunkAssembler(target);
    expect(a.accept(frame(0, CHUNK))).toEqual({
      accepted: true,
      offset: 0,
      received: CHUNK,
      complete: false,
    });
    expect(a.accept(frame(0, CHUNK))).toMatchObject({ accepted: false, reason: 'duplicate' });
    expect(a.received).toBe(CHUNK);
  });

  it('refuses to finish an incomplete artifact or one whose hash differs from the offer', () => {
    const partial = new ChunkAssembler(target);
    partial.accept(frame(0, CHUNK));
    expect(protocolErrorOf(() => partial.finish()).code).toBe('INTEGRITY_FAILED');

    const lying = new ChunkAssembler({ ...target, sha256: sha256Hex(Buffer.from('another model')) });
    download(lying);
    expect(protocolErrorOf(() => lying.finish())).toMatchObject({ code: 'INTEGRITY_FAILED' });
  });

  it('refuses an artifact larger than the device accepts', () => {
    expect(protocolErrorOf(() => new ChunkAssembler(target, { maxModelSize: 16_384 })).code).toBe(
      'TOO_LARGE',
    );
  });
});

describe(serveChunk.name, () => {
  const request = (offset: number, length: number, session = SESSION): OtaChunkRequest => ({
    v: 1,
    session,
    offset,
    length,
  });

  it('clamps the last chunk to the end of the artifact and flags it', () => {
    const a = new ChunkAssembler(target);
    expect(a.accept(answer(request(73 * CHUNK, CHUNK)))).toMatchObject({ accepted: true, received: 112 });
  });

  it.each([
    ['another session', request(0, CHUNK, 5)],
    ['an offset at the end', request(MODEL.length, 1)],
    ['more than the offered chunk size', request(0, CHUNK + 1)],
  ])('refuses a request for %s', (_label, r) => {
    expect(protocolErrorOf(() => answer(r)).code).toBe('INVALID_MESSAGE');
  });
});
