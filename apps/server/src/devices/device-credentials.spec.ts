import { generateSecret, hashSecret, secretMatches } from './device-credentials';

describe('device credentials', () => {
  it('accepts the right secret and refuses others', () => {
    const secret = generateSecret();
    const stored = hashSecret(secret);
    expect(stored).toMatch(/^[0-9a-f]{64}$/);
    expect(secretMatches(secret, stored)).toBe(true);
    expect(secretMatches(Buffer.from(secret), stored)).toBe(true);
    expect(secretMatches(secret + 'x', stored)).toBe(false);
    expect(secretMatches(secret, 'not-a-hash')).toBe(false);
  });

  it('generates distinct 256-bit secrets', () => {
    const a = generateSecret();
    expect(Buffer.from(a, 'base64url')).toHaveLength(32);
    expect(generateSecret()).not.toBe(a);
  });
});
