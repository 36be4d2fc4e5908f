/**
 * The ESP32 firmware's JSON readers (ota/offer, cmd) accept exactly what libs/protocol accepts:
 * valid messages, every field replaced by odd values or removed, and raw-text edge cases go
 * through the host-built C runner, and verdicts and parsed values must agree.
 */
import { OtaOffer, parseDeviceCommand, parseOtaOffer, sha256Hex } from '@fleetprune/protocol';
import { bytesOf, hex, intBelow, rng, tsVerdict, describeHostRunner } from '../support/firmware/esp32-host';

jest.setTimeout(120_000);

describeHostRunner((run) => {
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
});
