/**
 * The ESP32 firmware's JSON writers and telemetry window against libs/protocol: what the C side
 * writes parses to the message the TypeScript encoder makes, it refuses exactly what the encoder
 * refuses, and the telemetry counts match confidenceBin and the latency figures.
 */
import {
  OTA_FAILURE_REASONS,
  OTA_OUTCOMES,
  OTA_PHASES,
  confidenceBin,
  encodeOtaChunkRequest,
  encodeOtaProgress,
  encodeOtaResult,
  encodeStatus,
  encodeTelemetry,
  parseOtaChunkRequest,
  parseOtaProgress,
  parseOtaResult,
  parseStatus,
  parseTelemetry,
} from '@fleetprune/protocol';
import { hex, intBelow, rng, tsVerdict, describeHostRunner } from '../support/firmware/esp32-host';

jest.setTimeout(120_000);

describeHostRunner((run) => {
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
