import { KeyObject, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';
import { ProtocolError } from './protocol-error';

/** A P-256 key pair in PEM: PKCS#8 private key (server data dir), SPKI public key (devices). */
export interface SigningKeyPair {
  privateKeyPem: string;
  publicKeyPem: string;
}

/** Bytes of an IEEE P1363 P-256 signature: r then s, 32 bytes each, big-endian. */
export const SIGNATURE_BYTES = 64;

/** Creates a fresh ECDSA P-256 key pair for signing artifacts. */
export function generateSigningKey(): SigningKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

/** Parsed public keys by PEM: a fleet verifying with the one provisioned key parses it once. */
const publicKeys = new Map<string, KeyObject>();

function publicKeyOf(pem: string): KeyObject {
  let key = publicKeys.get(pem);
  if (!key) {
    key = p256(() => createPublicKey(pem), 'signing public key');
    if (publicKeys.size >= 16) publicKeys.clear();
    publicKeys.set(pem, key);
  }
  return key;
}

function p256(load: () => KeyObject, what: string): KeyObject {
  let key: KeyObject;
  try {
    key = load();
  } catch {
    throw new ProtocolError('INVALID_KEY', `${what} is not a readable PEM key`);
  }
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1')
    throw new ProtocolError('INVALID_KEY', `${what} must be an ECDSA P-256 (prime256v1) key`);
  return key;
}

/**
 * Signs an artifact: ECDSA P-256 over SHA-256(bytes), returned as base64 of the 64-byte
 * r||s form (algorithm `ecdsa-p256-sha256`). The device already computes that hash to check
 * the offer's sha256, so verifying costs one extra ECDSA operation and no second pass.
 */
export function signArtifact(bytes: Uint8Array, privateKeyPem: string): string {
  const key = p256(() => createPrivateKey(privateKeyPem), 'signing private key');
  return sign('sha256', bytes, { key, dsaEncoding: 'ieee-p1363' }).toString('base64');
}

/** Whether `signature` (base64 r||s) is a valid signature of `bytes` under `publicKeyPem`. */
export function verifyArtifact(bytes: Uint8Array, signature: string, publicKeyPem: string): boolean {
  const key = publicKeyOf(publicKeyPem);
  const raw = Buffer.from(signature, 'base64');
  // Buffer.from ignores bad base64 characters; insist on a canonical encoding of 64 bytes.
  if (raw.length !== SIGNATURE_BYTES || raw.toString('base64') !== signature) return false;
  return verify('sha256', bytes, { key, dsaEncoding: 'ieee-p1363' }, raw);
}

/**
 * The public key as the 65-byte uncompressed point 0x04||X||Y, for firmware that embeds it
 * as a C array and loads it with mbedtls_ecp_point_read_binary.
 */
export function publicKeyPoint(publicKeyPem: string): Uint8Array {
  const key = p256(() => createPublicKey(publicKeyPem), 'signing public key');
  const jwk = key.export({ format: 'jwk' });
  const x = Buffer.from(jwk.x ?? '', 'base64url');
  const y = Buffer.from(jwk.y ?? '', 'base64url');
  return new Uint8Array(Buffer.concat([Buffer.from([4]), x, y]));
}
