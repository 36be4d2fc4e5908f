import { FieldReader, isRecord } from './field-reader';
import { ProtocolError } from './protocol-error';
import { PROTOCOL_VERSION } from './topics';

/** Parser, validator and encoder of one JSON message kind. */
export interface JsonCodec<T> {
  /** Message name used in errors, e.g. `ota/offer`. */
  readonly name: string;
  /** Largest payload accepted or produced, in bytes. */
  readonly maxBytes: number;
  /** Decodes and validates an MQTT payload; throws ProtocolError naming the field. */
  parse(payload: Uint8Array): T;
  /** Validates an already-decoded value and returns a clean copy with only known fields. */
  validate(value: unknown): T;
  /** Validates and serialises; never produces a payload its own parse would refuse. */
  encode(message: T): Buffer;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Drops undefined members so encoded JSON and parsed objects carry only present fields. */
function compact<T extends object>(value: T): T {
  for (const key of Object.keys(value) as (keyof T)[]) if (value[key] === undefined) delete value[key];
  return value;
}

/**
 * Builds the codec of one JSON message kind. Order of checks: size (before any parsing, so a
 * hostile payload costs nothing), UTF-8, JSON, object, `v`, then the fields via `read`.
 * Unknown fields are ignored so v1 can grow optional fields without breaking old readers.
 */
export function jsonCodec<T extends object>(
  name: string,
  maxBytes: number,
  read: (fields: FieldReader) => T,
): JsonCodec<T> {
  const validate = (value: unknown): T => {
    if (!isRecord(value)) throw new ProtocolError('INVALID_MESSAGE', `${name} must be a JSON object`);
    const v = value.v;
    if (typeof v !== 'number' || !Number.isSafeInteger(v))
      throw new ProtocolError(
        'INVALID_MESSAGE',
        `${name} field "v" must be the protocol version ${PROTOCOL_VERSION}`,
      );
    if (v !== PROTOCOL_VERSION)
      throw new ProtocolError(
        'UNSUPPORTED_VERSION',
        `${name} has protocol version ${v}; this side speaks ${PROTOCOL_VERSION} (update the firmware or server)`,
      );
    return compact(read(new FieldReader(value, name)));
  };
  const parse = (payload: Uint8Array): T => {
    if (payload.length > maxBytes)
      throw new ProtocolError(
        'TOO_LARGE',
        `${name} payload is ${payload.length} bytes; the limit is ${maxBytes}`,
      );
    let text: string;
    let value: unknown;
    try {
      text = utf8.decode(payload);
    } catch {
      throw new ProtocolError('INVALID_MESSAGE', `${name} payload is not valid UTF-8`);
    }
    try {
      value = JSON.parse(text);
    } catch {
      throw new ProtocolError('INVALID_MESSAGE', `${name} payload is not JSON`);
    }
    return validate(value);
  };
  const encode = (message: T): Buffer => {
    const bytes = Buffer.from(JSON.stringify(validate(message)), 'utf8');
    if (bytes.length > maxBytes)
      throw new ProtocolError(
        'TOO_LARGE',
        `${name} would be ${bytes.length} bytes; the limit is ${maxBytes}`,
      );
    return bytes;
  };
  return { name, maxBytes, parse, validate, encode };
}
