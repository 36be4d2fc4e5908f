/**
 * The ESP32 firmware's signature check (mbedTLS, the device code) agrees with verifyArtifact on
 * good, flipped, truncated and wrong-key signatures, through the host-built C runner.
 */
import {
  generateSigningKey,
  publicKeyPoint,
  sha256Hex,
  signArtifact,
  verifyArtifact,
} from '@fleetprune/protocol';
import { bytesOf, hex, intBelow, rng, describeHostRunner } from '../support/firmware/esp32-host';

jest.setTimeout(120_000);

describeHostRunner((run) => {
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
});
