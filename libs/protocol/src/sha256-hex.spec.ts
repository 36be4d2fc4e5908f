import { execFileSync } from 'node:child_process';
import { sha256Hex } from './sha256-hex';

describe(sha256Hex.name, () => {
  // FIPS 180-2 appendix B test vectors.
  it.each([
    ['', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    ['abc', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
  ])('sha256Hex(%j)', (text, expected) => {
    expect(sha256Hex(Buffer.from(text))).toBe(expected);
  });

  it('hashes only the view it is given, not the whole underlying buffer', () => {
    const big = Buffer.from('xxabcxx');
    expect(sha256Hex(big.subarray(2, 5))).toBe(sha256Hex(Buffer.from('abc')));
  });

  it('agrees with the openssl command line', () => {
    const bytes = Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 31) & 0xff));
    const out = execFileSync('openssl', ['dgst', '-sha256', '-r'], { input: bytes }).toString();
    expect(out.split(' ')[0]).toBe(sha256Hex(bytes));
  });
});
