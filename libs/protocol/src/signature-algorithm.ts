/**
 * Signature algorithms an offer may name. `ecdsa-p256-sha256`: ECDSA on NIST P-256 over the
 * SHA-256 of the artifact, signature as IEEE P1363 r||s (64 bytes, each big-endian), which
 * mbedTLS's mbedtls_ecdsa_verify takes as two 32-byte integers without a DER parser.
 */
export const SIGNATURE_ALGORITHMS = ['ecdsa-p256-sha256'] as const;

/** One of SIGNATURE_ALGORITHMS. */
export type SignatureAlgorithm = (typeof SIGNATURE_ALGORITHMS)[number];

/** True when `value` names a signature algorithm of this protocol version. */
export function isSignatureAlgorithm(value: unknown): value is SignatureAlgorithm {
  return typeof value === 'string' && (SIGNATURE_ALGORITHMS as readonly string[]).includes(value);
}
