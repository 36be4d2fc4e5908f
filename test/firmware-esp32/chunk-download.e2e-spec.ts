/**
 * The ESP32 firmware's integrity checks and download path against libs/protocol: CRC-32 and the
 * portable SHA-256, chunk-frame parsing (whole and streamed), and the chunk assembler replaying
 * downloads that a ChunkAssembler oracle judged, all through the host-built C runner.
 */
import { readFileSync } from 'node:fs';
import {
  ChunkAssembler,
  crc32,
  encodeChunkFrame,
  parseChunkFrame,
  serveChunk,
  sha256Hex,
} from '@fleetprune/protocol';
import {
  MODEL,
  bytesOf,
  hex,
  intBelow,
  rng,
  splits,
  tsVerdict,
  describeHostRunner,
} from '../support/firmware/esp32-host';

jest.setTimeout(120_000);

describeHostRunner((run) => {
  it('CRC-32 matches crc32() on random data, continued over two pieces, and the check value', () => {
    const r = rng(1);
    const cases = Array.from({ length: 200 }, () => [
      bytesOf(r, intBelow(r, 3000)),
      bytesOf(r, intBelow(r, 300)),
    ]);
    cases.push([Buffer.from('123456789'), new Uint8Array(0)]);
    const out = run(
      'crc',
      cases.map(([a, b]) => `${hex(a)} ${hex(b)}`),
    );
    expect(out).toEqual(
      cases.map(([a, b]) => {
        const first = crc32(a);
        return `${first.toString(16).padStart(8, '0')} ${crc32(b, first).toString(16).padStart(8, '0')}`;
      }),
    );
    expect(out[out.length - 1].startsWith('cbf43926')).toBe(true);
  });

  it('portable SHA-256 matches sha256Hex at every length around the block boundaries', () => {
    const r = rng(2);
    const lengths = [...Array.from({ length: 140 }, (_, i) => i), 1000, 4095, 4096, 65537];
    const data = lengths.map((n) => bytesOf(r, n));
    expect(
      run(
        'sha',
        data.map((d) => (d.length ? hex(d) : '-')),
      ),
    ).toEqual(data.map((d) => sha256Hex(d)));
  });

  it('chunk frames: whole and streamed C parses give parseChunkFrame verdicts on valid, damaged and hostile frames', () => {
    const r = rng(3);
    const frames: Uint8Array[] = [];
    for (let i = 0; i < 300; i++) {
      const n = 1 + intBelow(r, i % 10 === 0 ? 65536 : 2000);
      const session = 1 + intBelow(r, 0xfffffffe);
      const offset = i % 7 === 0 ? 0x100000000 - n : intBelow(r, 1 << 24);
      const frame = new Uint8Array(
        encodeChunkFrame({ session, offset, last: r() < 0.3, payload: bytesOf(r, n) }),
      );
      const kind = i % 12;
      if (kind === 1) frame[intBelow(r, frame.length)] ^= 1 << intBelow(r, 8); // one bit anywhere
      if (kind === 2) frame[0] = 0x47; // magic
      if (kind === 3) frame[2] = 2; // version
      if (kind === 4) frame[3] |= 0x80; // reserved flag
      if (kind === 5) frame.fill(0, 4, 8); // session 0
      if (kind === 6) new DataView(frame.buffer).setUint32(12, 65537); // length too large
      if (kind === 7) new DataView(frame.buffer).setUint32(12, n + 1); // length disagrees
      if (kind === 8) new DataView(frame.buffer).setUint32(8, 0xffffffff); // offset overflow
      if (kind === 9) {
        frames.push(frame.subarray(0, intBelow(r, frame.length)));
        continue;
      }
      if (kind === 10) {
        frames.push(Buffer.concat([frame, bytesOf(r, 1 + intBelow(r, 4))]));
        continue;
      }
      frames.push(frame);
    }
    const expected = frames.map((f) => {
      const v = tsVerdict(() => parseChunkFrame(f));
      if (!v.ok) return v.code;
      const p = v.value as ReturnType<typeof parseChunkFrame>;
      return `ok:${p.session}:${p.offset}:${p.payload.length}:${p.last ? 1 : 0}`;
    });
    const out = run(
      'frame',
      frames.map((f) => `${hex(f)} ${splits(r, f.length)}`),
    );
    expect(out).toEqual(expected.map((e) => `${e} ${e}`));
    // Every outcome kind was exercised, not just the happy path.
    expect(new Set(expected.map((e) => e.split(':')[0]))).toEqual(
      new Set(['ok', 'CORRUPT_CHUNK', 'INVALID_MESSAGE', 'UNSUPPORTED_VERSION', 'TOO_LARGE']),
    );
  });
  describe('assembler downloads person_detect.tflite through serveChunk frames', () => {
    const artifact = new Uint8Array(readFileSync(MODEL));

    /**
     * Plays the server against a ChunkAssembler oracle, with loss, duplicates, corruption,
     * stale sessions, reordering and silent rounds, and records every event with the
     * oracle's verdict and next requests, for the C assembler to replay.
     */
    function script(seed: number, chunkSize: number, maxInFlight: number, resume = 0) {
      const r = rng(seed);
      const session = 1 + intBelow(r, 0xfffffffe);
      const target = { session, size: artifact.length, sha256: sha256Hex(artifact), chunkSize };
      const oracle = new ChunkAssembler(target, { maxInFlight });
      if (resume > 0) oracle.resume(artifact.subarray(0, resume));
      const events: string[] = [];
      const expected: string[] = [];
      const offsets = (reqs: { offset: number }[]) =>
        reqs.length ? reqs.map((q) => q.offset).join(',') : '-';
      let pending = oracle.requests();
      events.push('requests');
      expected.push(`req ${offsets(pending)}`);
      const reasons = new Set<string>();
      const stale = session === 1 ? 2 : session - 1;
      for (let round = 0; !oracle.complete && round < 100_000; round++) {
        const frames: Uint8Array[] = [];
        // A stale-session frame and a duplicate of chunk 0 in every run, whatever the dice say.
        if (round === 1) {
          const q = {
            v: 1 as const,
            session: stale,
            offset: 0,
            length: Math.min(chunkSize, artifact.length),
          };
          frames.push(new Uint8Array(serveChunk(artifact, stale, chunkSize, q)));
          frames.push(new Uint8Array(serveChunk(artifact, session, chunkSize, { ...q, session })));
        }
        for (const q of pending) {
          if (r() < 0.1) continue; // lost
          const frame = new Uint8Array(serveChunk(artifact, session, chunkSize, q));
          if (r() < 0.1) {
            const bad = frame.slice();
            bad[20 + intBelow(r, bad.length - 20)] ^= 0x40;
            frames.push(bad);
          }
          if (r() < 0.05)
            frames.push(new Uint8Array(serveChunk(artifact, stale, chunkSize, { ...q, session: stale })));
          frames.push(frame);
          if (r() < 0.1) frames.push(frame);
        }
        if (r() < 0.05)
          frames.push(
            new Uint8Array(
              serveChunk(artifact, session, chunkSize, { v: 1, session, offset: 0, length: chunkSize }),
            ),
          );
        for (let i = frames.length - 1; i > 0; i--) {
          const j = intBelow(r, i + 1);
          [frames[i], frames[j]] = [frames[j], frames[i]];
        }
        pending = [];
        for (const frame of frames) {
          const verdict = oracle.accept(frame);
          reasons.add(verdict.accepted ? 'accepted' : verdict.reason);
          const next = oracle.requests();
          pending.push(...next);
          events.push(`frame ${hex(frame)} ${splits(r, frame.length)}`);
          expected.push(`${verdict.accepted ? 'accepted' : verdict.reason} ${offsets(next)}`);
        }
        if (!oracle.complete && pending.length === 0) {
          oracle.retryOutstanding();
          pending = oracle.requests();
          events.push('timeout');
          expected.push(`req ${offsets(pending)}`);
        }
      }
      events.push('finish');
      expected.push(`finish OK ${sha256Hex(oracle.finish())}`);
      return { target, events, expected, reasons };
    }

    const scenarios: [string, number, number, number, number][] = [
      ['8192-byte chunks streamed onto 4 KB flash sectors', 11, 8192, 4, 4096],
      ['1000-byte chunks buffered (not sector multiples)', 12, 1000, 4, 4096],
      ['4096-byte chunks into RAM, window of 8', 13, 4096, 8, 0],
      ['65536-byte chunks, window of 1', 14, 65536, 1, 4096],
    ];
    it.each(scenarios)(
      '%s: same verdicts and requests as ChunkAssembler, right SHA-256',
      (_, seed, chunk, window, erase) => {
        const s = script(seed, chunk, window);
        const { session, size, sha256 } = s.target;
        const out = run('assemble', [
          `target ${session} ${size} ${chunk} ${sha256} ${window} ${erase}`,
          ...s.events,
        ]);
        expect(out.slice(0, -1)).toEqual(s.expected);
        expect(out[out.length - 2]).toBe(`finish OK ${sha256Hex(artifact)}`);
        expect(s.reasons).toEqual(new Set(['accepted', 'corrupt', 'duplicate', 'session']));
      },
    );

    it('resumes after a reboot from the stored prefix: streamed mode asks exactly what ChunkAssembler asks', () => {
      const prefix = 5 * 8192 + 100; // a partial chunk past the last whole one is fetched again
      const s = script(16, 8192, 4, prefix);
      const { session, size, sha256 } = s.target;
      const head = `target ${session} ${size} 8192 ${sha256} 4 4096 ${hex(artifact.subarray(0, prefix))}`;
      const out = run('assemble', [head, ...s.events]);
      expect(out[0]).toBe('req 40960,49152,57344,65536');
      expect(out.slice(0, -1)).toEqual(s.expected);
    });

    it('resumes in buffered mode from the last whole sector and still ends with the right SHA-256', () => {
      const prefix = 3 * 4096 + 2000; // 14288 bytes: chunks of 1000 up to 12288 survive the erase
      const s = script(17, 1000, 4);
      const { session, size, sha256 } = s.target;
      const head = `target ${session} ${size} 1000 ${sha256} 4 4096 ${hex(artifact.subarray(0, prefix))}`;
      // Replay the events of a fresh download: the C side must settle duplicates of kept chunks.
      const out = run('assemble', [head, ...s.events]);
      expect(out[0]).toBe('req 12000,13000,14000,15000');
      expect(out[out.length - 2]).toBe(`finish OK ${sha256Hex(artifact)}`);
    });

    it('refuses to finish with a SHA-256 other than the offer’s', () => {
      const s = script(15, 16384, 4);
      const wrong = sha256Hex(new Uint8Array([1]));
      const out = run('assemble', [
        `target ${s.target.session} ${s.target.size} 16384 ${wrong} 4 4096`,
        ...s.events,
      ]);
      expect(out[out.length - 2]).toBe('finish INTEGRITY_FAILED');
    });
  });
});
