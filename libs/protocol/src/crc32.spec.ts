import { crc32 as zlibCrc32 } from 'node:zlib';
import { crc32, crc32Reference } from './crc32';
import { randomBytes, seededRandom } from './testing/seeded-random';

describe(crc32.name, () => {
  // Check values from the CRC catalogue ("123456789") and widely published strings.
  it.each([
    ['', 0x00000000],
    ['a', 0xe8b7be43],
    ['123456789', 0xcbf43926],
    ['The quick brown fox jumps over the lazy dog', 0x414fa339],
  ])('crc32(%j) = %d, in the fast path and the reference', (text, expected) => {
    expect(crc32(Buffer.from(text, 'latin1'))).toBe(expected);
    expect(crc32Reference(Buffer.from(text, 'latin1'))).toBe(expected);
  });

  it('agrees with zlib (an independent implementation) on random buffers', () => {
    const rand = seededRandom(1);
    for (let i = 0; i < 50; i++) {
      const bytes = randomBytes(rand, Math.floor(rand() * 5000));
      expect(crc32Reference(bytes)).toBe(zlibCrc32(bytes));
      expect(crc32(bytes)).toBe(zlibCrc32(bytes));
    }
  });

  it('continues over pieces: crc32(b, crc32(a)) = crc32(a + b)', () => {
    const rand = seededRandom(2);
    const whole = randomBytes(rand, 4096);
    for (const cut of [0, 1, 16, 2047, 4096]) {
      expect(crc32(whole.subarray(cut), crc32(whole.subarray(0, cut)))).toBe(crc32(whole));
      expect(crc32Reference(whole.subarray(cut), crc32Reference(whole.subarray(0, cut)))).toBe(crc32(whole));
    }
  });
});
