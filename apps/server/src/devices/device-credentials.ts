import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Device passwords are 256-bit random secrets, so a plain SHA-256 is enough to store them
 * (nothing to brute-force) and keeps CONNECT cheap when a thousand devices reconnect at once.
 */
export function generateSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** Hex SHA-256 of a secret, as stored. */
export function hashSecret(secret: string | Buffer): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** Constant-time comparison of a presented secret with a stored hash. */
export function secretMatches(secret: string | Buffer, storedHash: string): boolean {
  const presented = Buffer.from(hashSecret(secret), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return stored.length === presented.length && timingSafeEqual(presented, stored);
}
