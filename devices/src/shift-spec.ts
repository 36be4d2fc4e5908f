import { DeviceError } from './device-error';

/**
 * A distribution shift staged on a fleet's inputs (the `fleetprune sim --shift` contract):
 * - `noise`: Gaussian noise of `stddev` on the [0, 1] input scale added to every pixel of
 *   every sample, then clamped (0.3 = 76.5 pixel levels);
 * - `classes`: a share of samples (`share`, default 1) is drawn only from `classes`, each
 *   listed class equally often; the other samples are what the source gave before.
 */
export type ShiftSpec =
  { kind: 'noise'; stddev: number } | { kind: 'classes'; classes: number[]; share: number };

/** Kinds `parseShiftSpec` accepts. */
export const SHIFT_KINDS = ['noise', 'classes'] as const;

/** Largest noise standard deviation: beyond 1 the image is mostly clamped noise. */
export const MAX_NOISE_STDDEV = 1;

/** What a spec is checked against. */
export interface ShiftLimits {
  /** Classes of the dataset the shift applies to; class ids must be below it. */
  classCount?: number;
}

const NUMBER = /^(\d+(\.\d*)?|\.\d+)$/;

/**
 * Parses `noise:<stddev>` or `classes:<c1,c2,...>[@<share>]`; BAD_SHIFT naming the fault.
 * @example parseShiftSpec('classes:6,2,4@0.8', { classCount: 10 }) // { kind: 'classes', classes: [6, 2, 4], share: 0.8 }
 */
export function parseShiftSpec(text: string, limits: ShiftLimits = {}): ShiftSpec {
  const colon = text.indexOf(':');
  const kind = colon < 0 ? text : text.slice(0, colon);
  const amount = colon < 0 ? '' : text.slice(colon + 1).trim();
  if (!(SHIFT_KINDS as readonly string[]).includes(kind))
    throw bad(
      `unknown kind ${JSON.stringify(kind)} in ${JSON.stringify(text)}; use noise:<stddev> or classes:<list>[@share]`,
    );
  if (amount === '') throw bad(`${kind} needs an amount after the colon, e.g. ${example(kind)}`);
  if (kind === 'noise') {
    if (!NUMBER.test(amount))
      throw bad(`noise stddev must be a number in (0, ${MAX_NOISE_STDDEV}], got "${amount}"`);
    return validateShiftSpec({ kind, stddev: Number(amount) }, limits);
  }
  const [list, shareText, extra] = amount.split('@');
  if (extra !== undefined) throw bad(`classes takes one @share at most, got "${amount}"`);
  const classes = list.split(',').map((item) => {
    const t = item.trim();
    if (!/^\d+$/.test(t)) throw bad(`class "${t}" in "${list}" is not a whole number`);
    return Number(t);
  });
  if (shareText !== undefined && !NUMBER.test(shareText.trim()))
    throw bad(`classes share must be a number in (0, 1], got "${shareText}"`);
  const share = shareText === undefined ? 1 : Number(shareText);
  return validateShiftSpec({ kind: 'classes', classes, share }, limits);
}

/** Checks a spec given as an object (ranges, duplicates, classes of the dataset); returns it. */
export function validateShiftSpec(spec: ShiftSpec, limits: ShiftLimits = {}): ShiftSpec {
  if (spec.kind === 'noise') {
    if (!(spec.stddev > 0 && spec.stddev <= MAX_NOISE_STDDEV))
      throw bad(
        `noise stddev must be in (0, ${MAX_NOISE_STDDEV}] on the [0, 1] input scale, got ${spec.stddev}`,
      );
    return spec;
  }
  if (spec.kind !== 'classes') throw bad(`unknown kind ${JSON.stringify((spec as { kind: unknown }).kind)}`);
  if (spec.classes.length === 0) throw bad('classes needs at least one class, e.g. classes:6,2,4');
  if (new Set(spec.classes).size !== spec.classes.length)
    throw bad(`classes lists a class twice: ${spec.classes.join(',')}`);
  const max = limits.classCount;
  for (const c of spec.classes)
    if (!Number.isInteger(c) || c < 0 || (max !== undefined && c >= max))
      throw bad(
        `class ${c} is out of range` +
          (max === undefined ? '' : ` for a dataset of ${max} classes (0-${max - 1})`),
      );
  if (!(spec.share > 0 && spec.share <= 1)) throw bad(`classes share must be in (0, 1], got ${spec.share}`);
  return spec;
}

/** The spec in the syntax parseShiftSpec reads. */
export function formatShiftSpec(spec: ShiftSpec): string {
  if (spec.kind === 'noise') return `noise:${spec.stddev}`;
  return `classes:${spec.classes.join(',')}${spec.share === 1 ? '' : `@${spec.share}`}`;
}

function example(kind: string): string {
  return kind === 'noise' ? 'noise:0.3' : 'classes:6,2,4';
}

function bad(message: string): DeviceError {
  return new DeviceError('BAD_SHIFT', `shift: ${message}`);
}
