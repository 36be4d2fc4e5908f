// The Raspberry Pi agent (firmware-templates/rpi, Python) against the TypeScript reference: its
// unit tests, a cross-check of codecs, frames and signatures on vectors made by libs/protocol, and
// its refusal to start from a folder rendered without credentials.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  OtaOffer,
  deviceCommandCodec,
  encodeChunkFrame,
  encodeOtaOffer,
  fieldSamplesCodec,
  generateSigningKey,
  otaChunkRequestCodec,
  otaOfferCodec,
  otaProgressCodec,
  otaResultCodec,
  parseChunkFrame,
  signArtifact,
  statusCodec,
  telemetryCodec,
  verifyArtifact,
  type JsonCodec,
} from '@fleetprune/protocol';
import type { MicroExport } from '@fleetprune/tflite';
import { RpiAgentProcess, renderRpiAgent } from '@fleetprune/firmware';
import { HELLO_WORLD, PYTHON, TEMPLATE, describeWithPython, runCommand } from '../support/firmware/rpi-agent';

const CODECS: Record<string, JsonCodec<object>> = {
  'ota/offer': otaOfferCodec,
  cmd: deviceCommandCodec,
  status: statusCodec,
  'ota/request': otaChunkRequestCodec,
  'ota/progress': otaProgressCodec,
  'ota/result': otaResultCodec,
  telemetry: telemetryCodec,
  samples: fieldSamplesCodec,
};

function protocolCode(fn: () => unknown): { ok: boolean; code?: string; value?: unknown } {
  try {
    return { ok: true, value: fn() };
  } catch (err) {
    return { ok: false, code: (err as { code?: string }).code };
  }
}

describeWithPython('Raspberry Pi agent (firmware-templates/rpi)', () => {
  it('passes its Python unit tests (codecs, chunk assembly, slots, signatures)', async () => {
    const out = await runCommand(PYTHON, ['-m', 'unittest', 'discover', '-s', 'tests', '-t', '.'], {
      cwd: TEMPLATE,
    });
    expect(out.stderr).toMatch(/OK/);
    expect(out.code).toBe(0);
  });

  it('gives the verdicts of libs/protocol on vectors made by libs/protocol, and writes JSON it parses', async () => {
    const keys = generateSigningKey();
    const offer: OtaOffer = {
      v: 1,
      deploymentId: 'dep-1',
      session: 0xdeadbeef,
      artifactId: 'art_01.x',
      modelVersion: 'fmnist-3.2',
      size: 102_400,
      sha256: 'a'.repeat(64),
      signature: Buffer.alloc(64, 7).toString('base64'),
      signatureAlg: 'ecdsa-p256-sha256',
      chunkSize: 4096,
      arenaBytes: 30_000,
      ops: ['CONV_2D', 'FULLY_CONNECTED', 'SOFTMAX'],
    };
    const o = (changes: Record<string, unknown>) => JSON.stringify({ ...offer, ...changes });
    const json: { channel: string; text: string | Buffer }[] = [
      { channel: 'ota/offer', text: encodeOtaOffer(offer) },
      ...[
        { size: 0 },
        { size: 64 * 1024 * 1024 + 1 },
        { session: 0 },
        { session: 2 ** 32 },
        { sha256: 'A'.repeat(64) },
        { signature: 'abc' },
        { signatureAlg: 'rsa' },
        { chunkSize: 255 },
        { chunkSize: 65537 },
        { ops: Array(65).fill('CONV_2D') },
        { ops: ['conv_2d'] },
        { artifactId: 'a'.repeat(65) },
        { artifactId: '-a' },
        { modelVersion: 'v 1' },
        { v: 2 },
        { v: '1' },
        { arenaBytes: true },
        { size: 1e3 },
        { size: 10.5 },
        { deploymentId: null },
        { extra: { nested: [1, 2] } },
      ].map((c) => ({ channel: 'ota/offer', text: o(c) })),
      { channel: 'ota/offer', text: '[]' },
      { channel: 'ota/offer', text: '{"v":1' },
      { channel: 'ota/offer', text: Buffer.from([0xff, 0x7b, 0x7d]) },
      { channel: 'ota/offer', text: ' '.repeat(4097) },
      ...[
        { v: 1, id: 'c1', type: 'cancel-ota', session: 77 },
        { v: 1, id: 'c2', type: 'report-status' },
        { v: 1, id: 'c3', type: 'rollback', session: 5 },
        { v: 1, id: 'c4', type: 'set-telemetry', intervalS: 60 },
        { v: 1, id: 'c4', type: 'set-telemetry', intervalS: 86_401 },
        { v: 1, id: 'c5', type: 'upload-samples', max: 16, misclassifiedOnly: true },
        { v: 1, id: 'c5', type: 'upload-samples', max: 17, misclassifiedOnly: true },
        { v: 1, id: 'c5', type: 'upload-samples', max: 1, misclassifiedOnly: 'yes' },
        { v: 1, id: 'c6', type: 'format-flash' },
        { v: 1, type: 'report-status' },
      ].map((c) => ({ channel: 'cmd', text: JSON.stringify(c) })),
      { channel: 'status', text: '{"v":1,"state":"online","otaSession":0}' },
      { channel: 'telemetry', text: JSON.stringify({ v: 1, seq: 1, samples: 1 }) },
    ];
    const model = readFileSync(HELLO_WORLD);
    const good = encodeChunkFrame({
      session: 42,
      offset: 8192,
      last: false,
      payload: model.subarray(0, 700),
    });
    const damaged = (i: number, xor = 1) => {
      const f = Buffer.from(good);
      f[i] ^= xor;
      return f;
    };
    const frames = [
      good,
      encodeChunkFrame({ session: 1, offset: 0, last: true, payload: model }),
      damaged(0),
      damaged(2, 3),
      damaged(3, 2),
      damaged(5),
      damaged(9),
      damaged(25),
      good.subarray(0, 19),
      Buffer.concat([good, Buffer.alloc(1)]),
    ];
    const other = generateSigningKey();
    const signature = signArtifact(model, keys.privateKeyPem);
    const signatures = [
      { data: model, signature, pem: keys.publicKeyPem },
      { data: Buffer.concat([model, Buffer.alloc(1)]), signature, pem: keys.publicKeyPem },
      { data: model, signature, pem: other.publicKeyPem },
      {
        data: model,
        signature: signature.replace(/^./, (c) => (c === 'A' ? 'B' : 'A')),
        pem: keys.publicKeyPem,
      },
      { data: model, signature: signature.slice(0, -4), pem: keys.publicKeyPem },
    ];
    const input = JSON.stringify({
      json: json.map((j) => ({ channel: j.channel, payload: Buffer.from(j.text).toString('base64') })),
      frames: frames.map((f) => f.toString('base64')),
      signatures: signatures.map((s) => ({
        data: s.data.toString('base64'),
        signature: s.signature,
        publicKeyPem: s.pem,
      })),
    });
    const out = await runCommand(PYTHON, ['tests/crosscheck.py'], { cwd: TEMPLATE, input });
    expect(out.stderr).toBe('');
    const report = JSON.parse(out.stdout);

    json.forEach((j, i) => {
      const ts = protocolCode(() => CODECS[j.channel].parse(Buffer.from(j.text)));
      expect({ vector: j.text.toString(), ...report.json[i] }).toEqual({ vector: j.text.toString(), ...ts });
    });
    frames.forEach((f, i) => {
      const ts = protocolCode(() => {
        const frame = parseChunkFrame(f);
        return { ...frame, payload: Buffer.from(frame.payload).toString('base64') };
      });
      expect(report.frames[i]).toEqual(ts);
    });
    expect(report.signatures).toEqual(signatures.map((s) => verifyArtifact(s.data, s.signature, s.pem)));
    expect(report.signatures).toEqual([true, false, false, false, false]);
    // Every message the agent writes parses with libs/protocol, unchanged.
    for (const [channel, text] of Object.entries(report.written as Record<string, string>)) {
      const codec = CODECS[channel === 'will' ? 'status' : channel];
      expect(JSON.parse(text)).toEqual(codec.parse(Buffer.from(text)));
    }
    const telemetry = telemetryCodec.parse(Buffer.from(report.written.telemetry));
    expect(telemetry).toMatchObject({ samples: 23, labelled: 15 });
    expect(fieldSamplesCodec.parse(Buffer.from(report.written.samples)).items).toHaveLength(16);
  }, 30_000);

  it('refuses to start from a folder rendered without credentials, saying what to set', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fleetprune-rpi-'));
    try {
      const model = readFileSync(HELLO_WORLD);
      await renderRpiAgent(
        {
          artifactId: 'art-1',
          modelVersion: '1',
          tflite: model,
          report: { arenaBytes: 1 } as MicroExport['report'],
          mqttUrl: 'mqtt://127.0.0.1:1',
          publicKeyPem: generateSigningKey().publicKeyPem,
        },
        dir,
      );
      const agent = RpiAgentProcess.start(dir, { python: PYTHON });
      expect(await agent.exited).toBe(2);
      expect(agent.log()).toMatch(/device_id is not set/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
