import { CliError } from './server-client';

/** A commander parser for a whole number flag; anything else is a CliError naming the flag. */
export function intOption(flag: string, min = 0): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!/^-?\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min)
      throw new CliError(`${flag} must be a whole number >= ${min}, got ${JSON.stringify(value)}`);
    return n;
  };
}

/** A commander parser for a decimal number flag. */
export function numberOption(flag: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n))
      throw new CliError(`${flag} must be a number, got ${JSON.stringify(value)}`);
    return n;
  };
}

/** `--stages 10,50,100`: cumulative percentages, increasing, ending at 100. */
export function parseStages(value: string): number[] {
  const stages = value.split(',').map((s) => Number(s.trim()));
  const ok =
    stages.every((s) => Number.isFinite(s) && s > 0 && s <= 100) &&
    stages.every((s, i) => i === 0 || s > stages[i - 1]) &&
    stages[stages.length - 1] === 100;
  if (!ok)
    throw new CliError(
      `--stages must be increasing percentages ending at 100, e.g. 10,50,100; got ${JSON.stringify(value)}`,
    );
  return stages;
}

const UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `--since`: an ISO time, or an age like 30s, 10m, 2h, 1d; returns ms since the epoch. */
export function parseSince(value: string, now = Date.now()): number {
  const age = /^(\d+)([smhd])$/.exec(value.trim());
  if (age) return now - Number(age[1]) * UNITS[age[2]];
  const at = Date.parse(value);
  if (Number.isNaN(at))
    throw new CliError(
      `--since must be a time (2025-01-31T12:00Z) or an age (30s, 10m, 2h, 1d), got ${JSON.stringify(value)}`,
    );
  return at;
}
