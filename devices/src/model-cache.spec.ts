import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateSigningKey, sha256Hex, signArtifact, verifyArtifact } from '@fleetprune/protocol';
import { ModelCache } from './model-cache';

const HELLO = readFileSync(join(__dirname, '../../../shared/testdata/tflite/hello_world_int8.tflite'));

describe(ModelCache.name, () => {
  const keys = generateSigningKey();
  const other = generateSigningKey();
  const sha256 = sha256Hex(HELLO);
  const good = signArtifact(HELLO, keys.privateKeyPem);
  const forged = signArtifact(HELLO, other.privateKeyPem);

  it('verifies a signature once per digest, signature and key, and replays the outcome', () => {
    const cache = new ModelCache();
    let calls = 0;
    const check = (signature: string, pem: string) =>
      cache.signatureValid(sha256, signature, pem, () => {
        calls++;
        return verifyArtifact(HELLO, signature, pem);
      });
    expect([check(good, keys.publicKeyPem), check(good, keys.publicKeyPem)]).toEqual([true, true]);
    expect(calls).toBe(1);
    // Another signature or another key is a new question, answered by a real verification.
    expect([check(forged, keys.publicKeyPem), check(forged, keys.publicKeyPem)]).toEqual([false, false]);
    expect(check(good, other.publicKeyPem)).toBe(false);
    expect(calls).toBe(3);
  });

  it('does not remember a verification that threw', () => {
    const cache = new ModelCache();
    const broken = () =>
      cache.signatureValid(sha256, good, 'not a key', () => verifyArtifact(HELLO, good, 'not a key'));
    expect(broken).toThrow(/not a readable PEM key/);
    expect(broken).toThrow(/not a readable PEM key/);
  });

  it('parses a model once and describes its input and output', () => {
    const cache = new ModelCache();
    const first = cache.get(sha256, HELLO);
    expect(cache.get(sha256, HELLO)).toBe(first);
    expect([cache.hits, cache.misses]).toEqual([1, 1]);
    expect(first.input).toMatchObject({ type: 'INT8', shape: [1, 1] });
    expect(first.output).toMatchObject({ type: 'INT8', shape: [1, 1] });
  });
});
