/**
 * The ESP32 firmware's OTA state machine (fp_ota.c) speaks the protocol end to end: scripted
 * offers, chunk frames made by serveChunk, losses and ticks go through the host-built C runner,
 * and every publish it makes must parse with libs/protocol.
 */
import { readFileSync } from 'node:fs';
import {
  OtaOffer,
  encodeOtaOffer,
  generateSigningKey,
  parseOtaChunkRequest,
  parseOtaProgress,
  parseOtaResult,
  publicKeyPoint,
  serveChunk,
  sha256Hex,
  signArtifact,
} from '@fleetprune/protocol';
import { MODEL, hex, describeHostRunner } from '../support/firmware/esp32-host';

jest.setTimeout(120_000);

describeHostRunner((run) => {
  describe('OTA state machine (fp_ota.c) speaks the protocol end to end', () => {
    const artifact = new Uint8Array(readFileSync(MODEL));
    const keys = generateSigningKey();
    const point = hex(publicKeyPoint(keys.publicKeyPem));
    const offerFor = (over: Partial<OtaOffer> = {}): OtaOffer => ({
      v: 1,
      deploymentId: 'dep-1',
      session: 77,
      artifactId: 'art-new',
      modelVersion: 'person-2.0',
      size: artifact.length,
      sha256: sha256Hex(artifact),
      signature: signArtifact(artifact, keys.privateKeyPem),
      signatureAlg: 'ecdsa-p256-sha256',
      chunkSize: 8192,
      arenaBytes: 100_000,
      ops: ['CONV_2D', 'SOFTMAX'],
      ...over,
    });
    const framesOf = (o: OtaOffer): string[] => {
      const lines: string[] = [];
      for (let offset = 0; offset < artifact.length; offset += o.chunkSize) {
        const length = Math.min(o.chunkSize, artifact.length - offset);
        lines.push(
          `frame ${offset} ${hex(serveChunk(artifact, o.session, o.chunkSize, { v: 1, session: o.session, offset, length }))}`,
        );
      }
      return lines;
    };
    const device = (opts: { slot?: number; arena?: number; selfTest?: 0 | 1 } = {}) =>
      `device ${opts.slot ?? 1 << 20} ${opts.arena ?? 120_000} 4096 ${opts.selfTest ?? 1} CONV_2D,SOFTMAX,RESHAPE art-old person-1.0 ${point}`;
    /** Runs a script and returns the publishes, each parsed with libs/protocol. */
    const play = (lines: string[]) => {
      const out = run('ota', lines);
      const sent = out
        .filter((l) => l.startsWith('ota/'))
        .map((l) => {
          const [channel, json] = [l.slice(0, l.indexOf(' ')), Buffer.from(l.slice(l.indexOf(' ') + 1))];
          const parse =
            channel === 'ota/request'
              ? parseOtaChunkRequest
              : channel === 'ota/progress'
                ? parseOtaProgress
                : parseOtaResult;
          // Each publish must parse with its channel's parser; the tests then read fields by name.
          return { channel, msg: { ...parse(json) } as Record<string, unknown> };
        });
      return { out, sent, results: sent.filter((s) => s.channel === 'ota/result').map((s) => s.msg) };
    };
    // Resume the pull loop after losses: a tick past every deadline re-requests.
    const ticks = (n: number) =>
      Array.from({ length: n }, (_, i) => [`tick ${(i + 1) * 100_000}`, 'serve 7 5']).flat();
    let hasMbedtls = true;
    beforeAll(() => {
      hasMbedtls = run('sig', [`${point} ${sha256Hex(artifact)} ${offerFor().signature}`])[0] === '1';
      if (!hasMbedtls)
        console.warn('mbedTLS not found: OTA scenarios that need the signature check are skipped.');
    });

    it('downloads with losses and corruption, verifies, activates, and answers a redelivered offer at once', () => {
      if (!hasMbedtls) return;
      const offer = offerFor();
      const { sent, results, out } = play([
        device(),
        ...framesOf(offer),
        `offer ${hex(encodeOtaOffer(offer))}`,
        'serve 7 5',
        ...ticks(30),
        `offer ${hex(encodeOtaOffer(offer))}`,
      ]);
      const activated = {
        v: 1,
        session: 77,
        deploymentId: 'dep-1',
        artifactId: 'art-new',
        outcome: 'activated',
        activeArtifactId: 'art-new',
        activeModelVersion: 'person-2.0',
      };
      // The redelivered offer of the finished session is answered with the same result.
      expect(results).toEqual([activated, activated]);
      expect(sent.filter((s) => s.channel === 'ota/progress').map((s) => s.msg.phase)).toEqual([
        'downloading',
        'verifying',
        'activating',
      ]);
      const requested = new Set(sent.filter((s) => s.channel === 'ota/request').map((s) => s.msg.offset));
      expect(requested.size).toBe(Math.ceil(artifact.length / 8192));
      // Window of 4: the first publishes after the offer are exactly four requests, lowest offsets first.
      expect(sent.slice(1, 5).map((s) => s.msg.offset)).toEqual([0, 8192, 16384, 24576]);
      expect(out).toContain('active art-new person-2.0 session 0');
      expect(out.filter((l) => l === 'status').length).toBe(2); // download started, then ended
    });

    it('chunk sizes that are not sector multiples stream through the RAM buffer', () => {
      if (!hasMbedtls) return;
      const offer = offerFor({ chunkSize: 1000, session: 5 });
      const { results } = play([
        device(),
        ...framesOf(offer),
        `offer ${hex(encodeOtaOffer(offer))}`,
        'serve 0 0',
      ]);
      expect(results.map((r) => r.outcome)).toEqual(['activated']);
    });

    it.each([
      ['TOO_LARGE', { slot: 256 * 1024 }, {}],
      ['ARENA_TOO_SMALL', { arena: 99_999 }, {}],
      ['UNSUPPORTED_OPS', {}, { ops: ['CONV_2D', 'LSTM'] }],
    ] as [string, { slot?: number; arena?: number }, Partial<OtaOffer>][])(
      'refuses with %s before downloading anything',
      (reason, dev, over) => {
        const { sent, results } = play([
          device(dev),
          `offer ${hex(encodeOtaOffer(offerFor(over)))}`,
          'serve 0 0',
        ]);
        expect(results).toEqual([
          expect.objectContaining({ outcome: 'refused', reason, activeArtifactId: 'art-old' }),
        ]);
        expect(sent.filter((s) => s.channel !== 'ota/result')).toEqual([]);
      },
    );

    it.each([
      [
        'SIGNATURE_INVALID',
        'failed',
        { signature: signArtifact(new Uint8Array([1, 2]), keys.privateKeyPem) },
        1,
      ],
      ['HASH_MISMATCH', 'failed', { sha256: sha256Hex(new Uint8Array([1])) }, 1],
      ['ACTIVATION_FAILED', 'rolled_back', {}, 0],
    ] as const)('ends %s (%s) and keeps the previous model', (reason, outcome, over, selfTest) => {
      if (!hasMbedtls) return;
      const offer = offerFor(over);
      const { results, out } = play([
        device({ selfTest }),
        ...framesOf(offer),
        `offer ${hex(encodeOtaOffer(offer))}`,
        'serve 0 0',
      ]);
      expect(results).toEqual([
        expect.objectContaining({
          outcome,
          reason,
          activeArtifactId: 'art-old',
          activeModelVersion: 'person-1.0',
        }),
      ]);
      expect(out[out.length - 1]).toBe('active art-old person-1.0 session 0');
    });

    it('re-requests after silence with a doubling wait, then gives up with TIMEOUT', () => {
      const lines = [device(), `offer ${hex(encodeOtaOffer(offerFor()))}`, 'lose'];
      let t = 0;
      let wait = 5000;
      for (let round = 0; round < 10; round++) {
        t += wait;
        lines.push(`tick ${t - 1}`, `tick ${t}`, 'lose');
        wait = Math.min(2 * wait, 60_000);
      }
      const { sent, results } = play(lines);
      const requests = sent.filter((s) => s.channel === 'ota/request');
      expect(requests.length).toBe(4 * 10); // the first window, then 9 retries of it
      expect(results).toEqual([expect.objectContaining({ outcome: 'failed', reason: 'TIMEOUT' })]);
      expect(t).toBe(5000 + 10_000 + 20_000 + 40_000 + 6 * 60_000);
    });

    it('cancel-ota and a withdrawn offer end the download with CANCELLED; bad offers are dropped silently', () => {
      const a = play([device(), `offer ${hex(encodeOtaOffer(offerFor()))}`, 'cancel 76', 'cancel 77']);
      expect(a.results).toEqual([expect.objectContaining({ outcome: 'failed', reason: 'CANCELLED' })]);
      const b = play([device(), `offer ${hex(encodeOtaOffer(offerFor()))}`, 'withdraw', 'withdraw']);
      expect(b.results).toEqual([expect.objectContaining({ outcome: 'failed', reason: 'CANCELLED' })]);
      const c = play([device(), `offer ${hex(Buffer.from('{"v":1,"session":0}'))}`, 'offer -']);
      expect(c.sent).toEqual([]);
    });
  });
});
