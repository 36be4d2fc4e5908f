import { JsonCodec } from '../json-codec';
import { protocolErrorOf } from './protocol-error-code';
import { randomBytes, seededRandom } from './seeded-random';

type Json = Record<string, unknown>;

/** One hand-written bad variant of a valid message, with the error it must produce. */
export interface BadCase {
  label: string;
  mutate: (message: Json) => void;
  code: 'INVALID_MESSAGE' | 'TOO_LARGE' | 'UNSUPPORTED_VERSION';
  /** Text the error message must contain (usually the field name). */
  mentions: string;
}

export interface CodecSuite<T> {
  codec: JsonCodec<T>;
  /** Valid messages covering the variants (optional fields present and absent). */
  valid: T[];
  /** Top-level fields that must be present (each is removed in turn). */
  required: string[];
  bad: BadCase[];
  /** A message with every field at its limit: it must still fit in the payload limit. */
  largest?: T;
}

const WRONG_TYPES: unknown[] = ['x', -1, 1.5, null, true, [], {}];

function clone(value: unknown): Json {
  return JSON.parse(JSON.stringify(value)) as Json;
}

function bytesOf(message: Json): Buffer {
  return Buffer.from(JSON.stringify(message));
}

/** Random JSON-ish replacement values for fuzzing a field. */
function randomValue(rand: () => number): unknown {
  const pick = Math.floor(rand() * 9);
  const values: unknown[] = [
    Math.floor(rand() * 2 ** 33) - 2 ** 32,
    rand() * 1e6,
    'a'.repeat(Math.floor(rand() * 300)),
    null,
    rand() < 0.5,
    [Math.floor(rand() * 10)],
    { nested: 1 },
    -0,
    '\u0000\uffff',
  ];
  return values[pick];
}

/**
 * The shared table of a JSON message codec: valid messages round-trip; every required field
 * missing or of a wrong type, every hand-written bad case, a wrong version and an oversize
 * payload each fail with the right code naming the field; fuzzed payloads never crash.
 */
export function runCodecSuite<T>({ codec, valid, required, bad, largest }: CodecSuite<T>): void {
  const base = clone(valid[0]);

  if (largest !== undefined)
    it('fits a message with every field at its limit into the payload limit', () => {
      expect(codec.parse(codec.encode(largest))).toEqual(largest);
    });

  it.each(valid.map((m, i) => [i, m] as const))('round-trips valid message %i', (_i, message) => {
    const encoded = codec.encode(message);
    expect(encoded.length).toBeLessThanOrEqual(codec.maxBytes);
    expect(codec.parse(encoded)).toEqual(message);
    expect(codec.parse(bytesOf(clone(message)))).toEqual(message);
  });

  it.each(required)('refuses a message without "%s"', (field) => {
    const m = clone(base);
    delete m[field];
    const err = protocolErrorOf(() => codec.parse(bytesOf(m)));
    expect(err.code).toBe('INVALID_MESSAGE');
    expect(err.message).toContain(`"${field}"`);
  });

  const wrongTypes = required
    .filter((f) => f !== 'v')
    .flatMap((field) =>
      WRONG_TYPES.filter((w) => typeof w !== typeof base[field] || Array.isArray(base[field])).map(
        (w) => [field, JSON.stringify(w), w] as const,
      ),
    )
    // A wrong type may still be a valid value (1.5 where a number is expected), so skip those.
    .filter(
      ([field, , w]) => protocolErrorOf(() => codec.validate({ ...base, [field]: w })).code !== 'no error',
    );

  it.each(wrongTypes)('refuses "%s" set to %s', (field, _shown, wrong) => {
    const err = protocolErrorOf(() => codec.parse(bytesOf({ ...base, [field]: wrong })));
    expect(err.code).toBe('INVALID_MESSAGE');
    expect(err.message).toContain(`"${field}"`);
  });

  it.each(bad.map((c) => [c.label, c] as const))('refuses %s', (_label, c) => {
    const m = clone(base);
    c.mutate(m);
    const err = protocolErrorOf(() => codec.parse(bytesOf(m)));
    expect(err.code).toBe(c.code);
    expect(err.message).toContain(c.mentions);
    // The encoder refuses the same message, so a buggy sender cannot put it on the wire.
    expect(protocolErrorOf(() => codec.encode(m as T)).code).toBe(c.code);
  });

  it.each([
    ['version 2', 2, 'UNSUPPORTED_VERSION'],
    ['version 0', 0, 'UNSUPPORTED_VERSION'],
    ['version "1"', '1', 'INVALID_MESSAGE'],
    ['no version', undefined, 'INVALID_MESSAGE'],
  ])('refuses %s', (_label, v, code) => {
    expect(protocolErrorOf(() => codec.parse(bytesOf({ ...base, v }))).code).toBe(code);
  });

  it.each([
    ['an oversize payload', Buffer.alloc(codec.maxBytes + 1, 0x20), 'TOO_LARGE'],
    ['an empty payload', Buffer.alloc(0), 'INVALID_MESSAGE'],
    ['invalid UTF-8', Buffer.from([0x7b, 0xff, 0x7d]), 'INVALID_MESSAGE'],
    ['a JSON array', Buffer.from('[1]'), 'INVALID_MESSAGE'],
    ['JSON null', Buffer.from('null'), 'INVALID_MESSAGE'],
    ['truncated JSON', bytesOf(base).subarray(0, 10), 'INVALID_MESSAGE'],
  ])('refuses %s', (_label, payload, code) => {
    expect(protocolErrorOf(() => codec.parse(payload)).code).toBe(code);
  });

  it('ignores unknown fields and does not return them', () => {
    const parsed = codec.parse(bytesOf({ ...base, futureField: 42 })) as Json;
    expect(parsed.futureField).toBeUndefined();
  });

  it('never throws anything but ProtocolError on fuzzed payloads, and whatever it accepts re-encodes', () => {
    const rand = seededRandom(0x5eed);
    const valid0 = bytesOf(base);
    let accepted = 0;
    for (let i = 0; i < 3000; i++) {
      let payload: Uint8Array;
      const kind = i % 3;
      if (kind === 0) {
        payload = Buffer.from(valid0);
        for (let k = 0; k < 1 + Math.floor(rand() * 4); k++)
          payload[Math.floor(rand() * payload.length)] = Math.floor(rand() * 256);
      } else if (kind === 1) {
        const m = clone(base);
        const keys = Object.keys(m);
        m[keys[Math.floor(rand() * keys.length)]] = randomValue(rand);
        payload = bytesOf(m);
      } else {
        payload = randomBytes(rand, Math.floor(rand() * 64));
      }
      const err = protocolErrorOf(() => codec.parse(payload));
      if (err.code === 'no error') {
        accepted++;
        expect(codec.parse(codec.encode(codec.parse(payload)))).toEqual(codec.parse(payload));
      }
    }
    // Sanity: some mutations (e.g. a changed digit) stay valid; garbage never is.
    expect(accepted).toBeLessThan(3000);
  });
}
