import { execFileSync } from 'node:child_process';
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSigningKey, publicKeyPoint, signArtifact, verifyArtifact } from './artifact-signing';
import { protocolErrorOf } from './testing/protocol-error-code';

const MODEL = readFileSync(join(__dirname, '../../../../shared/testdata/tflite/hello_world_int8.tflite'));
const keys = generateSigningKey();

// DER <-> r||s written here from X.690, independently of node's dsaEncoding option.
function derToP1363(der: Buffer): Buffer {
  const ints: Buffer[] = [];
  let at = 2; // SEQUENCE tag and length (short form for P-256)
  for (let k = 0; k < 2; k++) {
    const len = der[at + 1];
    const value = der.subarray(at + 2, at + 2 + len);
    ints.push(Buffer.concat([Buffer.alloc(32), value.subarray(value[0] === 0 ? 1 : 0)]).subarray(-32));
    at += 2 + len;
  }
  return Buffer.concat(ints);
}
function p1363ToDer(raw: Buffer): Buffer {
  const int = (x: Buffer): Buffer => {
    let v = x;
    while (v.length > 1 && v[0] === 0 && v[1] < 0x80) v = v.subarray(1);
    if (v[0] >= 0x80) v = Buffer.concat([Buffer.from([0]), v]);
    return Buffer.concat([Buffer.from([0x02, v.length]), v]);
  };
  const body = Buffer.concat([int(raw.subarray(0, 32)), int(raw.subarray(32))]);
  return Buffer.concat([Buffer.from([0x30, body.length]), body]);
}

describe(signArtifact.name, () => {
  it('signs as base64 of 64 bytes (r||s) and verifies', () => {
    const signature = signArtifact(MODEL, keys.privateKeyPem);
    expect(Buffer.from(signature, 'base64')).toHaveLength(64);
    expect(verifyArtifact(MODEL, signature, keys.publicKeyPem)).toBe(true);
  });

  it('fails on a tampered artifact byte, a tampered signature, or another key', () => {
    const signature = signArtifact(MODEL, keys.privateKeyPem);
    for (const at of [0, 100, MODEL.length - 1]) {
      const tampered = Buffer.from(MODEL);
      tampered[at] ^= 1;
      expect(verifyArtifact(tampered, signature, keys.publicKeyPem)).toBe(false);
    }
    const badSig = Buffer.from(signature, 'base64');
    badSig[10] ^= 1;
    expect(verifyArtifact(MODEL, badSig.toString('base64'), keys.publicKeyPem)).toBe(false);
    expect(verifyArtifact(MODEL, signature, generateSigningKey().publicKeyPem)).toBe(false);
  });

  it.each([
    ['empty', ''],
    ['too short', Buffer.alloc(63).toString('base64')],
    ['not base64', '!'.repeat(88)],
    ['DER instead of r||s', 'MEUCIQ' + 'A'.repeat(90)],
  ])('returns false for a %s signature', (_label, signature) => {
    expect(verifyArtifact(MODEL, signature, keys.publicKeyPem)).toBe(false);
  });

  it('produces signatures the openssl command line verifies (after DER wrapping)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fp-sign-'));
    try {
      const raw = Buffer.from(signArtifact(MODEL, keys.privateKeyPem), 'base64');
      writeFileSync(join(dir, 'model'), MODEL);
      writeFileSync(join(dir, 'pub.pem'), keys.publicKeyPem);
      writeFileSync(join(dir, 'sig.der'), p1363ToDer(raw));
      const out = execFileSync(
        'openssl',
        ['dgst', '-sha256', '-verify', 'pub.pem', '-signature', 'sig.der', 'model'],
        {
          cwd: dir,
        },
      ).toString();
      expect(out.trim()).toBe('Verified OK');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('verifies signatures made by the openssl command line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fp-sign-'));
    try {
      writeFileSync(join(dir, 'model'), MODEL);
      writeFileSync(join(dir, 'key.pem'), keys.privateKeyPem);
      const der = execFileSync('openssl', ['dgst', '-sha256', '-sign', 'key.pem', 'model'], { cwd: dir });
      expect(verifyArtifact(MODEL, derToP1363(der).toString('base64'), keys.publicKeyPem)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('exports the public key as the 65-byte uncompressed point firmware embeds', () => {
    const point = publicKeyPoint(keys.publicKeyPem);
    expect(point).toHaveLength(65);
    expect(point[0]).toBe(4);
    // A P-256 SPKI ends with exactly this point (RFC 5480).
    const spki = createPublicKey(keys.publicKeyPem).export({ type: 'spki', format: 'der' });
    expect(Buffer.from(point).equals(spki.subarray(-65))).toBe(true);
  });

  const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 });
  const p384 = generateKeyPairSync('ec', { namedCurve: 'secp384r1' });
  it.each([
    ['a garbage private key', () => signArtifact(MODEL, 'not a pem')],
    [
      'an RSA private key',
      () => signArtifact(MODEL, rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()),
    ],
    [
      'a P-384 public key',
      () => verifyArtifact(MODEL, 'AA==', p384.publicKey.export({ type: 'spki', format: 'pem' }).toString()),
    ],
    [
      'a garbage public key',
      () => publicKeyPoint('-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----'),
    ],
  ])('refuses %s with INVALID_KEY', (_label, run) => {
    expect(protocolErrorOf(run).code).toBe('INVALID_KEY');
  });
});
