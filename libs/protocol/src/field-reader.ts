import { ProtocolError } from './protocol-error';

/** Limits of one string field; lengths count UTF-8 bytes, because that is what C buffers hold. */
export interface StringRule {
  min?: number;
  max: number;
  pattern?: RegExp;
  /** Says what the pattern means, for the error message (e.g. "64 lowercase hex characters"). */
  hint?: string;
}

/** Short, bounded rendering of a bad value for an error message (never echoes a whole payload). */
function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'object') return 'an object';
  const text = typeof value === 'string' ? JSON.stringify(value) : String(value);
  return text.length > 40 ? `${text.slice(0, 40)}...` : text;
}

/** True for a plain JSON object (not null, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Reads typed fields out of an untrusted JSON object, each checked once, and names the
 * message and field in every error so a device log says exactly what was wrong.
 */
export class FieldReader {
  constructor(
    private readonly obj: Record<string, unknown>,
    /** Message name plus path, e.g. `ota/offer` or `samples items[2]`. */
    readonly where: string,
  ) {}

  /** Throws INVALID_MESSAGE naming `field`; `expected` completes "must ...". */
  fail(field: string, expected: string, value: unknown = this.raw(field)): never {
    throw new ProtocolError(
      'INVALID_MESSAGE',
      `${this.where} field "${field}" must ${expected}, got ${show(value)}`,
    );
  }

  /** Cross-field rule: throws naming `field` unless `ok`. */
  check(ok: boolean, field: string, expected: string): void {
    if (!ok) this.fail(field, expected);
  }

  /** Whether the field is present (own property, not undefined). */
  has(field: string): boolean {
    return this.raw(field) !== undefined;
  }

  private raw(field: string): unknown {
    // Own properties only: a payload must not reach Object.prototype through "constructor".
    return Object.prototype.hasOwnProperty.call(this.obj, field) ? this.obj[field] : undefined;
  }

  string(field: string, rule: StringRule): string {
    const value = this.raw(field);
    const min = rule.min ?? 1;
    if (typeof value !== 'string') this.fail(field, `be a string of ${min}-${rule.max} bytes`);
    const bytes = Buffer.byteLength(value, 'utf8');
    if (bytes < min || bytes > rule.max) this.fail(field, `be ${min}-${rule.max} bytes long`);
    if (rule.pattern && !rule.pattern.test(value)) this.fail(field, `be ${rule.hint ?? rule.pattern.source}`);
    return value;
  }

  optionalString(field: string, rule: StringRule): string | undefined {
    return this.has(field) ? this.string(field, rule) : undefined;
  }

  /** A safe integer in [min, max]. */
  integer(field: string, min: number, max: number): number {
    const value = this.raw(field);
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max)
      this.fail(field, `be an integer in [${min}, ${max}]`);
    return value;
  }

  optionalInteger(field: string, min: number, max: number): number | undefined {
    return this.has(field) ? this.integer(field, min, max) : undefined;
  }

  /** A finite number in [min, max]. */
  number(field: string, min: number, max: number): number {
    const value = this.raw(field);
    if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max)
      this.fail(field, `be a number in [${min}, ${max}]`);
    return value;
  }

  boolean(field: string): boolean {
    const value = this.raw(field);
    if (typeof value !== 'boolean') this.fail(field, 'be true or false');
    return value;
  }

  /** One of a fixed set of strings. */
  oneOf<T extends string>(field: string, values: readonly T[]): T {
    const value = this.raw(field);
    if (typeof value !== 'string' || !(values as readonly string[]).includes(value))
      this.fail(field, `be one of ${values.join(', ')}`);
    return value as T;
  }

  /** An array of `min`-`max` items, each read by `item` (which gets the index for its errors). */
  array<T>(field: string, min: number, max: number, item: (value: unknown, where: string) => T): T[] {
    const value = this.raw(field);
    if (!Array.isArray(value) || value.length < min || value.length > max)
      this.fail(field, `be an array of ${min}-${max} items`);
    return value.map((x, i) => item(x, `${this.where} ${field}[${i}]`));
  }

  /** An array of integers in [lo, hi]. */
  integerArray(field: string, min: number, max: number, lo: number, hi: number): number[] {
    return this.array(field, min, max, (x, where) => {
      if (typeof x !== 'number' || !Number.isSafeInteger(x) || x < lo || x > hi)
        this.fail(field, `hold integers in [${lo}, ${hi}] (${where} is ${show(x)})`, x);
      return x;
    });
  }

  /** An array of strings, each following `rule`. */
  stringArray(field: string, min: number, max: number, rule: StringRule): string[] {
    return this.array(field, min, max, (x, where) =>
      new FieldReader({ item: x }, where).string('item', rule),
    );
  }

  /** A nested object, read with its own reader. */
  object(field: string): FieldReader {
    const value = this.raw(field);
    if (!isRecord(value)) this.fail(field, 'be an object');
    return new FieldReader(value, `${this.where} ${field}`);
  }
}
