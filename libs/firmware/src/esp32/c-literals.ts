/** A C string literal for any text: printable ASCII kept, everything else as 3-digit octal escapes. */
export function cString(text: string): string {
  let out = '"';
  for (const byte of Buffer.from(text, 'utf8')) {
    if (byte === 0x22 || byte === 0x5c) out += `\\${String.fromCharCode(byte)}`;
    // Octal, not \x: a hex escape would swallow following hex digits; `?` breaks trigraphs.
    else if (byte >= 0x20 && byte < 0x7f && byte !== 0x3f) out += String.fromCharCode(byte);
    else out += `\\${byte.toString(8).padStart(3, '0')}`;
  }
  return `${out}"`;
}

/** A brace initializer of bytes, 12 per line, for `static const uint8_t x[] = INIT;`. */
export function cByteInitializer(bytes: Uint8Array): string {
  const rows: string[] = [];
  for (let i = 0; i < bytes.length; i += 12)
    rows.push(
      Array.from(bytes.subarray(i, i + 12), (b) => `0x${b.toString(16).padStart(2, '0')}`).join(', '),
    );
  return `{ \\\n    ${rows.join(', \\\n    ')} \\\n  }`;
}
