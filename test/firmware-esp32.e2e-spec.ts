/**
 * The ESP32 firmware's C protocol core, cross-checked against libs/protocol: vectors made
 * with the TypeScript implementation go through the host-built C runner
 * (firmware-templates/esp32/test/host) and both must give the same verdicts and outputs.
 * Then the renderer: its generated files compile and hold exactly the input.
 */
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ChunkAssembler,
  ProtocolError,
  confidenceBin,
  crc32,
  encodeChunkFrame,
  encodeOtaOffer,
  encodeOtaProgress,
  encodeOtaResult,
  encodeStatus,
  encodeTelemetry,
  generateSigningKey,
  OTA_FAILURE_REASONS,
  OTA_OUTCOMES,
  OTA_PHASES,
  OtaOffer,
  parseChunkFrame,
  parseDeviceCommand,
  parseOtaChunkRequest,
  parseOtaOffer,
  parseOtaProgress,
  parseOtaResult,
  parseStatus,
  parseTelemetry,
  publicKeyPoint,
  serveChunk,
  sha256Hex,
  signArtifact,
  verifyArtifact,
  encodeOtaChunkRequest,
} from '@fleetprune/protocol';
import { packageMicroModel } from '@fleetprune/tflite';
import type { FirmwareRenderInput } from '../apps/cli/src/firmware/firmware-render-input';
import { FirmwareRenderError } from '../apps/cli/src/firmware/firmware-render-error';
import { renderEsp32Project } from '../apps/cli/src/firmware/esp32/render-esp32-project';

jest.setTimeout(120_000);

const ROOT = join(__dirname, '..');
const TEMPLATE = join(ROOT, 'firmware-templates/esp32');
const HOST = join(TEMPLATE, 'test/host');
const MODEL = join(ROOT, '../shared/testdata/tflite/person_detect.tflite');

function present(cmd: string): boolean {
  try {
    execFileSync(cmd, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const HAS_GCC = present('gcc') && present('g++') && present('make');
const HAS_ARM = present('arm-none-eabi-g++');
if (!HAS_GCC)
  console.warn(
    'gcc, g++ or make not found: skipping the ESP32 firmware host tests (apt-get install -y gcc g++ make).',
  );
const withGcc = HAS_GCC ? describe : describe.skip;

/** mulberry32, so every vector set is reproducible from its seed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const intBelow = (r: () => number, n: number) => Math.floor(r() * n);
const bytesOf = (r: () => number, n: number) => Uint8Array.from({ length: n }, () => intBelow(r, 256));
const hex = (b: Uint8Array | string) => (b.length === 0 ? '-' : Buffer.from(b).toString('hex'));

/** Ascending cut points inside [1, len), comma-separated, or "-" for one piece. */
function splits(r: () => number, len: number): string {
  const cuts = new Set<number>();
  const n = intBelow(r, 5);
  for (let i = 0; i < n && len > 1; i++) cuts.add(1 + intBelow(r, len - 1));
  return cuts.size ? [...cuts].sort((a, b) => a - b).join(',') : '-';
}

/** A ProtocolError's code and the field it names ('-' when none), as the C runner prints them. */
function tsVerdict(
  fn: () => unknown,
): { ok: true; value: unknown } | { ok: false; code: string; field: string } {
  try {
    return { ok: true, value: fn() };
  } catch (err) {
    if (!(err instanceof ProtocolError)) throw err;
    const item = /(\w+)\[\d+\] field "item"/.exec(err.message);
    const field = item ? item[1] : (/field "([^"]+)"/.exec(err.message)?.[1] ?? '-');
    return { ok: false, code: err.code, field: err.code === 'UNSUPPORTED_VERSION' ? 'v' : field };
  }
}

withGcc('ESP32 firmware C core against libs/protocol', () => {
  let work: string;
  let runner: string;

  const run = (mode: string, lines: string[]): string[] =>
    execFileSync(runner, [mode], {
      input: `${lines.join('\n')}\n`,
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
      // The C core never allocates; the runner's own vector buffers are not worth freeing.
      env: { ...process.env, ASAN_OPTIONS: 'detect_leaks=0' },
    })
      .split('\n')
      .filter((l) => l !== '');

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'fleetprune-esp32-'));
    execFileSync('make', ['-s', '-j2', '-C', HOST, `OUT=${join(work, 'build')}`], { stdio: 'pipe' });
    runner = join(work, 'build', 'fp_host_runner');
  }, 180_000);

  afterAll(() => rmSync(work, { recursive: true, force: true }));

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

  describe('JSON readers accept exactly what libs/protocol accepts', () => {
    const r = rng(4);
    const validOffer = (): OtaOffer => ({
      v: 1,
      deploymentId: `dep-${intBelow(r, 1e6)}`,
      session: 1 + intBelow(r, 0xfffffffe),
      artifactId: `art.${intBelow(r, 1e6)}:x_y`,
      modelVersion: `fmnist-${intBelow(r, 9)}.${intBelow(r, 9)}~!`,
      size: 1 + intBelow(r, 64 * 1024 * 1024),
      sha256: sha256Hex(bytesOf(r, 8)),
      signature: Buffer.from(bytesOf(r, 64)).toString('base64'),
      signatureAlg: 'ecdsa-p256-sha256',
      chunkSize: 256 + intBelow(r, 65536 - 255),
      arenaBytes: intBelow(r, 2 ** 32),
      ops: ['CONV_2D', 'FULLY_CONNECTED', 'SOFTMAX'].slice(0, intBelow(r, 4)),
    });
    // Values of every JSON type and edge; each is tried in every field.
    const oddValues: unknown[] = [
      null,
      true,
      false,
      0,
      -1,
      1,
      1.5,
      255,
      256,
      65536,
      65537,
      2 ** 32 - 1,
      2 ** 32,
      2 ** 53,
      2 ** 26,
      2 ** 26 + 1,
      '',
      'x',
      '42',
      'a b',
      'A'.repeat(64),
      'A'.repeat(65),
      'é',
      'a\u0000b',
      'ecdsa-p256-sha256',
      'AAAA',
      'AA==',
      'A===',
      '0'.repeat(64),
      'F'.repeat(64),
      'CONV_2D',
      [],
      ['CONV_2D'],
      ['conv'],
      Array(65).fill('ADD'),
      {},
      { v: 1 },
    ];
    const fields = Object.keys(validOffer()).filter((k) => k !== 'v');

    /** Raw payloads a JSON.stringify of an object cannot produce. */
    function rawOffers(): Buffer[] {
      const text = JSON.stringify(validOffer());
      const body = text.slice(1, -1);
      return [
        Buffer.from(`{"size":1,${body}}`), // repeated key: the last one wins
        Buffer.from(`{${body},"size":0}`),
        Buffer.from(`{${body},"session":1.0}`), // an integral float is an integer
        Buffer.from(`{${body},"chunkSize":1e3}`),
        Buffer.from(`{${body},"chunkSize":10E-1}`),
        Buffer.from(`{${body},"arenaBytes":-0}`),
        Buffer.from(`{${body},"arenaBytes":01}`), // not JSON
        Buffer.from(`{${body},"arenaBytes":+1}`),
        Buffer.from(`{${body},"arenaBytes":1.}`),
        Buffer.from(`{${body},"x":[[[[[{"y":[1,2,{"z":null}]}]]]]]}`), // unknown, deep
        Buffer.from(`{${body},"x":${'['.repeat(1500)}${']'.repeat(1500)}}`),
        Buffer.from(`{${body},"\\u0076":2}`), // escaped key "v"
        Buffer.from(`{${body},"deploymentId":"\\u0041b\\/c"}`), // escapes decode to a valid id
        Buffer.from(`{${body},"deploymentId":"\\ud83d\\ude00"}`),
        Buffer.from(`{${body},"deploymentId":"\\ud83d"}`), // lone surrogate
        Buffer.from(` \t\r\n{ ${body.replace(/,/g, ' ,\n ')} } \n`),
        Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]), // BOM
        Buffer.concat([Buffer.from(text.slice(0, -1)), Buffer.from(',"x":"\xff"}', 'latin1')]), // bad UTF-8
        Buffer.concat([
          Buffer.from(text.slice(0, -1)),
          Buffer.from([0x2c, 0x22, 0x78, 0x22, 0x3a, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x7d]),
        ]),
        Buffer.from(`{${body},"x":"tab\there"}`), // raw control character
        Buffer.from(`{${body},"x":"\\x"}`),
        Buffer.from(`{${body},}`),
        Buffer.from(`{${body}`),
        Buffer.from(`{${body}}}`),
        Buffer.from(`{${body}} x`),
        Buffer.from(`[${text}]`),
        Buffer.from('"offer"'),
        Buffer.from('{}'),
        Buffer.from('{"v":1}'),
        Buffer.from('{"v":"1"}'),
        Buffer.from('{"v":1.0}'),
        Buffer.from('{"v":2}'),
        Buffer.from(`{${body},"pad":"${'p'.repeat(4096 - text.length - 9)}"}`), // exactly 4096 bytes
        Buffer.from(`{${body},"pad":"${'p'.repeat(4097 - text.length - 9)}"}`), // 4097: TOO_LARGE
        Buffer.from(`{${body},"v":true}`),
        Buffer.from(`{${body},"size":67108864}`),
        Buffer.from(`{${body},"size":67108865}`),
        Buffer.from(`{${body},"size":4294967296}`),
        Buffer.from(`{${body},"size":1e400}`),
        Buffer.from(`{${body},"size":1e-400}`),
      ];
    }

    it('ota/offer: valid offers, every field replaced by odd values, removed, and raw-text edge cases', () => {
      const payloads: Buffer[] = [];
      for (let i = 0; i < 60; i++) payloads.push(Buffer.from(JSON.stringify(validOffer())));
      for (const field of fields) {
        for (const value of oddValues)
          payloads.push(Buffer.from(JSON.stringify({ ...validOffer(), [field]: value })));
        const missing: Record<string, unknown> = { ...validOffer() };
        delete missing[field];
        payloads.push(Buffer.from(JSON.stringify(missing)));
      }
      payloads.push(...rawOffers());
      const out = run(
        'offer',
        payloads.map((p) => (p.length ? hex(p) : '-')),
      );
      const accepted: number[] = [];
      payloads.forEach((p, i) => {
        const v = tsVerdict(() => parseOtaOffer(p));
        if (v.ok) {
          accepted.push(i);
          expect(out[i].startsWith('ok ')).toBe(true);
          // Through JSON so that -0 (JSON.parse keeps it) compares equal to the C side's 0.
          expect(JSON.parse(out[i].slice(3))).toEqual(JSON.parse(JSON.stringify(v.value)));
        } else expect(`${i} ${out[i]}`).toBe(`${i} err ${v.code} ${v.field}`);
      });
      expect(accepted.length).toBeGreaterThan(60);
      expect(accepted.length).toBeLessThan(payloads.length - 200);
    });

    it('cmd: every command type, odd values in every field, repeated and missing fields', () => {
      const base = [
        { v: 1, id: 'c-1', type: 'report-status' },
        { v: 1, id: 'c-2', type: 'cancel-ota', session: 42 },
        { v: 1, id: 'c-3', type: 'rollback' },
        { v: 1, id: 'c-4', type: 'set-telemetry', intervalS: 86400 },
        { v: 1, id: 'c-5', type: 'upload-samples', max: 16, misclassifiedOnly: true },
      ];
      const payloads: Buffer[] = base.map((c) => Buffer.from(JSON.stringify(c)));
      for (const cmd of base) {
        const keys = [...Object.keys(cmd), 'session', 'intervalS', 'max', 'misclassifiedOnly'].filter(
          (k) => k !== 'v',
        );
        for (const key of keys) {
          for (const value of [...oddValues, 'cancel-ota', 'upload-samples', 86401, 17, 0])
            payloads.push(Buffer.from(JSON.stringify({ ...cmd, [key]: value })));
          const missing: Record<string, unknown> = { ...cmd };
          delete missing[key];
          payloads.push(Buffer.from(JSON.stringify(missing)));
        }
      }
      payloads.push(Buffer.from('{"v":1,"id":"a","type":"rollback","type":"report-status"}'));
      payloads.push(Buffer.from('{"v":1,"type":"rollback","id":"x y"}'));
      const out = run(
        'cmd',
        payloads.map((p) => hex(p)),
      );
      payloads.forEach((p, i) => {
        const v = tsVerdict(() => parseDeviceCommand(p));
        if (v.ok) expect(JSON.parse(out[i].slice(3))).toEqual(v.value);
        else expect(`${i} ${out[i]}`).toBe(`${i} err ${v.code} ${v.field}`);
      });
    });
  });

  it('JSON writers: output parses with libs/protocol to the same message; refused exactly when encode refuses', () => {
    const r = rng(5);
    const pick = <T>(xs: readonly T[]): T => xs[intBelow(r, xs.length)];
    const ids = ['dep-1', 'a', 'A'.repeat(64), 'A'.repeat(65), 'bad id', '-lead', 'x.y:z_w-1'];
    const texts = [
      'boom',
      'quote " and \\ slash',
      'é ü 漢字 😀',
      'a\nb',
      'x'.repeat(256),
      'x'.repeat(257),
      '',
    ];
    const versions = ['fm-1.2', 'v 1', '~!@#', 'é'];
    const opt = <T>(x: T) => (r() < 0.3 ? undefined : x);
    const t = (s: string | undefined) => (s === undefined ? '-' : hex(Buffer.from(s, 'utf8')));
    const n = (x: number | undefined) => (x === undefined ? '-' : String(x));
    const cases: { line: string; encode: () => Buffer; parse: (b: Uint8Array) => unknown }[] = [];
    for (let i = 0; i < 150; i++) {
      const session = pick([0, 1, 42, 2 ** 32 - 1]);
      const offset = pick([0, 8192, 2 ** 32 - 1]);
      const length = pick([0, 1, 8192, 65536, 65537]);
      cases.push({
        line: `request ${session} ${offset} ${length}`,
        encode: () => encodeOtaChunkRequest({ v: 1, session, offset, length }),
        parse: parseOtaChunkRequest,
      });
      const phase = intBelow(r, 4);
      const total = pick([0, 1, 1000, 64 * 1024 * 1024, 64 * 1024 * 1024 + 1]);
      const received = pick([0, 999, 1000, 1001, total]);
      cases.push({
        line: `progress ${session} ${phase} ${received} ${total}`,
        encode: () => encodeOtaProgress({ v: 1, session, phase: OTA_PHASES[phase], received, total }),
        parse: parseOtaProgress,
      });
      const outcome = intBelow(r, 4);
      const reason = r() < 0.5 ? 0 : 1 + intBelow(r, OTA_FAILURE_REASONS.length);
      const [dep, art, detail, aa, av] = [
        pick(ids),
        pick(ids),
        opt(pick(texts)),
        opt(pick(ids)),
        opt(pick(versions)),
      ];
      cases.push({
        line: `result ${session} ${t(dep)} ${t(art)} ${outcome} ${reason} ${t(detail)} ${t(aa)} ${t(av)}`,
        encode: () =>
          encodeOtaResult({
            v: 1,
            session,
            deploymentId: dep,
            artifactId: art,
            outcome: OTA_OUTCOMES[outcome],
            reason: reason ? OTA_FAILURE_REASONS[reason - 1] : undefined,
            detail,
            activeArtifactId: aa,
            activeModelVersion: av,
          }),
        parse: parseOtaResult,
      });
      const st = {
        online: r() < 0.5,
        ts: opt(pick([0, 1_700_000_000_000, 8.64e15, 8.64e15 + 1])),
        profile: opt(pick(['esp32-s3', 'with space', 'é', 'x'.repeat(65)])),
        firmware: opt('fleetprune-esp32 1'),
        aa: opt(pick(ids)),
        av: opt(pick(versions)),
        ota: opt(pick([1, 2 ** 32 - 1])),
        heap: opt(pick([0, 123456])),
        up: opt(pick([0, 2 ** 32 - 1])),
      };
      cases.push({
        line: `status ${st.online ? 1 : 0} ${n(st.ts)} ${t(st.profile)} ${t(st.firmware)} ${t(st.aa)} ${t(st.av)} ${n(st.ota)} ${n(st.heap)} ${n(st.up)}`,
        encode: () =>
          encodeStatus({
            v: 1,
            state: st.online ? 'online' : 'offline',
            ts: st.ts,
            profile: st.profile,
            firmware: st.firmware,
            activeArtifactId: st.aa,
            activeModelVersion: st.av,
            otaSession: st.ota,
            freeHeapBytes: st.heap,
            uptimeS: st.up,
          }),
        parse: parseStatus,
      });
      const hist = Array.from({ length: 10 }, () => intBelow(r, 50));
      const samples = hist.reduce((a, b) => a + b, 0) + pick([0, 0, 0, 1]);
      const labelled = pick([0, samples, samples + 1]);
      const correct = pick([0, labelled, labelled + 1]);
      const ws = pick([0, 1_700_000_000_000]);
      const we = ws + pick([0, 300_000, 86_400_000, 86_400_001]);
      // Multiples of 1/8 print exactly with three decimals, so values compare exactly.
      const mean = pick([0, 12.125, 3_600_000, 3_600_000.125]);
      const p95 = pick([0, 40.5, 99.875]);
      const [tart, tver] = [pick(ids), pick(versions)];
      cases.push({
        line: `telemetry ${i} ${t(tart)} ${t(tver)} ${ws} ${we} ${samples} ${labelled} ${correct} ${hist.join(' ')} ${mean} ${p95} 31200`,
        encode: () =>
          encodeTelemetry({
            v: 1,
            seq: i,
            artifactId: tart,
            modelVersion: tver,
            windowStart: ws,
            windowEnd: we,
            samples,
            labelled,
            correct,
            confidenceHistogram: hist,
            latencyMeanMs: mean,
            latencyP95Ms: p95,
            arenaUsedBytes: 31200,
          }),
        parse: parseTelemetry,
      });
    }
    const out = run(
      'write',
      cases.map((c) => c.line),
    );
    let ok = 0;
    cases.forEach((c, i) => {
      const v = tsVerdict(c.encode);
      if (v.ok) {
        ok++;
        expect(`${i} ${out[i].slice(0, 3)}`).toBe(`${i} ok `);
        expect(c.parse(Buffer.from(out[i].slice(3), 'utf8'))).toEqual(c.parse(v.value as Buffer));
      } else expect(`${i} ${out[i]}`).toBe(`${i} err INVALID_MESSAGE`);
    });
    expect(ok).toBeGreaterThan(100);
    expect(ok).toBeLessThan(cases.length - 100);
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
      expect(results).toEqual([
        {
          v: 1,
          session: 77,
          deploymentId: 'dep-1',
          artifactId: 'art-new',
          outcome: 'activated',
          activeArtifactId: 'art-new',
          activeModelVersion: 'person-2.0',
        },
        {
          v: 1,
          session: 77,
          deploymentId: 'dep-1',
          artifactId: 'art-new',
          outcome: 'activated',
          activeArtifactId: 'art-new',
          activeModelVersion: 'person-2.0',
        },
      ]);
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

  it('signature check (mbedTLS, the device code) agrees with verifyArtifact', () => {
    const r = rng(6);
    const keys = [generateSigningKey(), generateSigningKey()];
    const lines: string[] = [];
    const expected: string[] = [];
    for (let i = 0; i < 40; i++) {
      const data = bytesOf(r, 1 + intBelow(r, 2000));
      const signer = keys[i % 2];
      let signature = signArtifact(data, signer.privateKeyPem);
      const verifier = i % 5 === 4 ? keys[(i + 1) % 2] : signer;
      if (i % 5 === 1) {
        const raw = Buffer.from(signature, 'base64');
        raw[intBelow(r, 64)] ^= 1;
        signature = raw.toString('base64');
      }
      if (i % 5 === 2) signature = Buffer.from(signature, 'base64').subarray(0, 63).toString('base64');
      const digestOf = i % 5 === 3 ? Buffer.concat([data, Buffer.from([0])]) : data;
      lines.push(`${hex(publicKeyPoint(verifier.publicKeyPem))} ${sha256Hex(digestOf)} ${signature}`);
      expected.push(verifyArtifact(digestOf, signature, verifier.publicKeyPem) ? '1' : '0');
    }
    const out = run('sig', lines);
    if (out[0] === 'unavailable') {
      console.warn('mbedTLS headers not found: signature check skipped (apt-get install -y libmbedtls-dev).');
      return;
    }
    expect(out).toEqual(expected);
    expect(expected.filter((e) => e === '1').length).toBe(8);
  });

  it('telemetry window counts parse with parseTelemetry and match confidenceBin and the latency figures', () => {
    const r = rng(7);
    const lines = ['start 1700000000000 41'];
    const latencies: number[] = [];
    const hist = new Array<number>(10).fill(0);
    let labelled = 0;
    let correct = 0;
    for (let i = 0; i < 200; i++) {
      const latency = intBelow(r, 4000) / 8;
      const confidence = [0, 1, 0.1, 0.95, Number.NaN, r()][i % 6];
      const known = i % 3 !== 0;
      const right = r() < 0.7;
      latencies.push(latency);
      hist[confidenceBin(confidence)]++;
      labelled += known ? 1 : 0;
      correct += known && right ? 1 : 0;
      lines.push(`infer ${latency} ${confidence} ${known ? 1 : 0} ${right ? 1 : 0}`);
    }
    lines.push('close 1700000300000 art-1 fm-2.0 31200', 'close 1700000300000 art-1 fm-2.0 31200');
    const out = run('telemetry', lines);
    const first = parseTelemetry(Buffer.from(out[0].slice(3)));
    const sorted = [...latencies].sort((a, b) => a - b);
    const mean = latencies.reduce((a, b) => a + b, 0) / latencies.length;
    expect(first).toMatchObject({ seq: 41, samples: 200, labelled, correct, confidenceHistogram: hist });
    expect(first.windowEnd - first.windowStart).toBe(300_000);
    expect(first.latencyMeanMs).toBeCloseTo(mean, 3);
    expect(first.latencyP95Ms).toBe(sorted[Math.ceil(0.95 * sorted.length) - 1]);
    expect(parseTelemetry(Buffer.from(out[1].slice(3)))).toMatchObject({ seq: 42, samples: 0 });
  });
});

describe(renderEsp32Project.name, () => {
  const tflite = new Uint8Array(readFileSync(MODEL));
  const { report } = packageMicroModel(tflite, { name: 'person_detect' });
  const keys = generateSigningKey();
  const input: FirmwareRenderInput = {
    artifactId: 'art-7f3a',
    modelVersion: 'person-1.0',
    tflite,
    report,
    mqttUrl: 'mqtt://192.168.1.10:1883',
    publicKeyPem: keys.publicKeyPem,
    device: { id: 'esp-01', password: 'p"a\\ss?\u00e9', profile: 'esp32-s3' },
  };
  let out: string;
  let files: Awaited<ReturnType<typeof renderEsp32Project>>;

  beforeAll(async () => {
    out = mkdtempSync(join(tmpdir(), 'fleetprune-esp32-render-'));
    rmSync(out, { recursive: true }); // the renderer creates a missing directory
    files = await renderEsp32Project(input, out);
  });
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('copies the template, writes the generated files and returns what it wrote', () => {
    const paths = files.map((f) => f.path);
    for (const p of [
      'CMakeLists.txt',
      'partitions.csv',
      'sdkconfig.defaults',
      'main/CMakeLists.txt',
      'main/idf_component.yml',
      'main/Kconfig.projbuild',
      'main/fp_protocol/fp_ota.c',
    ])
      expect(paths).toContain(p);
    expect(
      files
        .filter((f) => f.generated)
        .map((f) => f.path)
        .sort(),
    ).toEqual(
      ['fp_config.h', 'model_data.cc', 'model_data.h', 'op_resolver.h'].map((f) => `main/generated/${f}`),
    );
    for (const f of files) expect(readFileSync(join(out, f.path)).length).toBe(f.bytes);
    // Every source the ESP-IDF component lists exists in the rendered project.
    const cmake = readFileSync(join(out, 'main/CMakeLists.txt'), 'utf8');
    const code = cmake.replace(/#.*$/gm, '');
    for (const src of code.match(/[\w/]+\.(?:c|cc)\b/g) ?? [])
      expect(`${src} ${existsSync(join(out, 'main', src))}`).toBe(`${src} true`);
    // ...and every core file is listed, except the portable SHA-256 the device replaces.
    for (const f of readdirSync(join(out, 'main/fp_protocol')).filter((n) => n.endsWith('.c')))
      if (f !== 'fp_sha256_soft.c') expect(code).toContain(`fp_protocol/${f}`);
  });

  it('refuses a non-empty directory unless forced', async () => {
    await expect(renderEsp32Project(input, out)).rejects.toMatchObject({ code: 'OUT_DIR_NOT_EMPTY' });
    await expect(renderEsp32Project(input, out)).rejects.toBeInstanceOf(FirmwareRenderError);
    const again = await renderEsp32Project({ ...input, modelVersion: 'person-1.1' }, out, { force: true });
    expect(again.length).toBeGreaterThan(20);
    expect(readFileSync(join(out, 'main/generated/fp_config.h'), 'utf8')).toContain('"person-1.1"');
    await renderEsp32Project(input, out, { force: true });
  });

  it('refuses inputs the firmware could not put on the wire', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'fleetprune-esp32-bad-'));
    await expect(renderEsp32Project({ ...input, artifactId: 'bad id' }, empty)).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    await expect(
      renderEsp32Project({ ...input, device: { id: 'a/b', password: 'x', profile: 'p' } }, empty),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect(readdirSync(empty)).toEqual([]);
    rmSync(empty, { recursive: true });
  });

  it('partition table holds two 1 MB model slots in 4 MB of flash; every CONFIG_FP_ the code uses is in Kconfig', () => {
    const rows = readFileSync(join(out, 'partitions.csv'), 'utf8')
      .split('\n')
      .filter((l) => l.trim() && !l.startsWith('#'))
      .map((l) => l.split(',').map((c) => c.trim()));
    const byName = new Map(rows.map((r) => [r[0], { offset: Number(r[3]), size: Number(r[4]) }]));
    for (const slot of ['model_a', 'model_b']) {
      expect(byName.get(slot)!.size).toBeGreaterThanOrEqual(1024 * 1024);
      expect(byName.get(slot)!.offset % 0x10000).toBe(0); // mmap pages
    }
    let end = 0x9000;
    for (const { offset, size } of byName.values()) {
      expect(offset).toBeGreaterThanOrEqual(end);
      end = offset + size;
    }
    expect(end).toBeLessThanOrEqual(4 * 1024 * 1024);
    const kconfig = readFileSync(join(out, 'main/Kconfig.projbuild'), 'utf8');
    const sources = readdirSync(join(out, 'main')).filter((f) => /\.(c|cc)$/.test(f));
    const used = new Set(
      sources.flatMap((f) => readFileSync(join(out, 'main', f), 'utf8').match(/CONFIG_FP_\w+/g) ?? []),
    );
    expect(used.size).toBeGreaterThan(3);
    for (const name of used) expect(kconfig).toContain(`config ${name.slice('CONFIG_'.length)}\n`);
  });

  (HAS_GCC ? it : it.skip)(
    'generated files compile with g++ and hold exactly the input; the C core compiles as C99',
    () => {
      const gen = join(out, 'main/generated');
      const exe = join(out, 'check_generated');
      execFileSync('g++', [
        '-std=c++17',
        '-Wall',
        '-Wextra',
        '-Werror',
        '-I',
        gen,
        '-I',
        join(HOST, 'tflm-stub'),
        join(HOST, 'check_generated.cc'),
        join(gen, 'model_data.cc'),
        '-o',
        exe,
      ]);
      const lines = execFileSync(exe, { encoding: 'utf8', maxBuffer: 8 * tflite.length })
        .trim()
        .split('\n');
      const got = Object.fromEntries(
        lines.map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
      );
      expect(got).toEqual({
        key: Buffer.from(publicKeyPoint(keys.publicKeyPem)).toString('hex'),
        artifact: 'art-7f3a',
        version: 'person-1.0',
        arena: String(report.arenaBytes32),
        chunk: '8192',
        url: 'mqtt://192.168.1.10:1883',
        ops: report.ops.join(','),
        registered: `${report.ops.length} status=0`,
        capacity: String(report.ops.length),
        resolver_arena: String(report.arenaBytes32),
        aligned: '1',
        device: 'esp-01',
        password: 'p"a\\ss?\u00e9',
        profile: 'esp32-s3',
        model_bytes: String(tflite.length),
        model: Buffer.from(tflite).toString('hex'),
      });
      const core = join(out, 'main/fp_protocol');
      const cFiles = readdirSync(core)
        .filter((f) => f.endsWith('.c'))
        .map((f) => join(core, f));
      execFileSync('gcc', [
        '-std=c99',
        '-pedantic',
        '-Wall',
        '-Wextra',
        '-Werror',
        '-fsyntax-only',
        ...cFiles,
      ]);
      // The same headers from C++ (model_runner.cc and any C++ application code include them).
      const headers = readdirSync(core).filter((f) => f.endsWith('.h'));
      const tu = join(out, 'headers.cc');
      writeFileSync(tu, headers.map((h) => `#include "${h}"`).join('\n') + '\nint main() { return 0; }\n');
      execFileSync('g++', ['-std=c++17', '-Wall', '-Wextra', '-Werror', '-fsyntax-only', '-I', core, tu]);
    },
  );

  (HAS_ARM ? it : it.skip)('model data and the C core compile for a 32-bit MCU (arm-none-eabi)', () => {
    const obj = join(out, 'model_data_arm.o');
    mkdirSync(join(out, 'arm'), { recursive: true });
    execFileSync('arm-none-eabi-g++', [
      '-std=c++17',
      '-mcpu=cortex-m4',
      '-mthumb',
      '-Os',
      '-Wall',
      '-Werror',
      '-c',
      '-I',
      join(out, 'main/generated'),
      join(out, 'main/generated/model_data.cc'),
      '-o',
      obj,
    ]);
    expect(readFileSync(obj).length).toBeGreaterThan(tflite.length);
    // The protocol core on a 32-bit target with newlib (size_t and long are 32 bits, as on the ESP32).
    const core = join(out, 'main/fp_protocol');
    for (const f of readdirSync(core).filter((n) => n.endsWith('.c')))
      execFileSync('arm-none-eabi-gcc', [
        '-std=c99',
        '-pedantic',
        '-mcpu=cortex-m4',
        '-mthumb',
        '-Os',
        '-Wall',
        '-Wextra',
        '-Werror',
        '-c',
        join(core, f),
        '-o',
        join(out, 'arm', `${f}.o`),
      ]);
  });
});
