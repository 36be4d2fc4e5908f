import { cByteInitializer, cString } from './c-literals';

describe(cString.name, () => {
  it.each([
    ['plain', '"plain"'],
    ['say "hi" \\ there', '"say \\"hi\\" \\\\ there"'],
    ['a??=b', '"a\\077\\077=b"'], // no trigraphs
    ['é\n', '"\\303\\251\\012"'], // UTF-8 bytes and controls as octal, never greedy \\x
    ['\u00001', '"\\0001"'],
  ])('%j -> %s', (text, literal) => expect(cString(text)).toBe(literal));
});

describe(cByteInitializer.name, () => {
  it('lists every byte as 0x.. with line continuations, 12 per line', () => {
    const init = cByteInitializer(Uint8Array.from({ length: 13 }, (_, i) => i * 20));
    expect(init.match(/0x[0-9a-f]{2}/g)).toHaveLength(13);
    expect(init.split('\\\n')).toHaveLength(4);
    expect(init).toContain('0xf0');
  });
});
