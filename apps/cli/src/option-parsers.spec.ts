import { CliError } from './server-client';
import { intOption, numberOption, parseSince, parseStages } from './option-parsers';

describe(intOption.name, () => {
  it.each([
    ['7', 7],
    [' 12 ', 12],
    ['0', 0],
  ])('%j -> %d', (text, n) => expect(intOption('--n')(text)).toBe(n));

  it.each(['1.5', 'abc', '', '-1', '1e3', '99999999999999999999'])('refuses %j naming the flag', (text) => {
    expect(() => intOption('--max-concurrent')(text)).toThrow(CliError);
    expect(() => intOption('--max-concurrent')(text)).toThrow(/--max-concurrent must be a whole number/);
  });

  it('enforces the minimum', () => expect(() => intOption('--n', 1)('0')).toThrow(/>= 1/));
});

describe(numberOption.name, () => {
  it('parses decimals and refuses words', () => {
    expect(numberOption('--x')('0.85')).toBe(0.85);
    expect(() => numberOption('--target-accuracy')('high')).toThrow(/--target-accuracy must be a number/);
    expect(() => numberOption('--x')(' ')).toThrow(CliError);
  });
});

describe(parseStages.name, () => {
  it('accepts increasing percentages ending at 100', () => {
    expect(parseStages('10,50,100')).toEqual([10, 50, 100]);
    expect(parseStages('100')).toEqual([100]);
    expect(parseStages('12.5, 100')).toEqual([12.5, 100]);
  });

  it.each(['50,40,100', '10,50', '0,100', '10,,100', 'a,100', '10,100,100'])('refuses %j', (text) =>
    expect(() => parseStages(text)).toThrow(/--stages must be increasing percentages ending at 100/),
  );
});

describe(parseSince.name, () => {
  const now = Date.UTC(2025, 0, 31, 12);
  it('reads ages and times', () => {
    expect(parseSince('30s', now)).toBe(now - 30_000);
    expect(parseSince('2h', now)).toBe(now - 7_200_000);
    expect(parseSince('1d', now)).toBe(now - 86_400_000);
    expect(parseSince('2025-01-31T11:00:00Z', now)).toBe(now - 3_600_000);
  });
  it('refuses anything else', () => expect(() => parseSince('yesterday')).toThrow(/--since must be/));
});
