import { DeviceError } from './device-error';
import { formatShiftSpec, parseShiftSpec, ShiftSpec } from './shift-spec';

describe(parseShiftSpec.name, () => {
  const good: [string, ShiftSpec][] = [
    ['noise:0.3', { kind: 'noise', stddev: 0.3 }],
    ['noise:1', { kind: 'noise', stddev: 1 }],
    ['noise:.05', { kind: 'noise', stddev: 0.05 }],
    ['classes:6,2,4', { kind: 'classes', classes: [6, 2, 4], share: 1 }],
    ['classes:6, 2 ,4@0.8', { kind: 'classes', classes: [6, 2, 4], share: 0.8 }],
    ['classes:9', { kind: 'classes', classes: [9], share: 1 }],
  ];
  it.each(good)('reads %s', (text, spec) => {
    expect(parseShiftSpec(text, { classCount: 10 })).toEqual(spec);
    expect(parseShiftSpec(formatShiftSpec(spec), { classCount: 10 })).toEqual(spec);
  });

  const bad: [string, RegExp][] = [
    ['blur:2', /unknown kind "blur"/],
    ['noise', /needs an amount/],
    ['noise:', /needs an amount/],
    ['noise:0', /\(0, 1\]/],
    ['noise:1.5', /\(0, 1\]/],
    ['noise:-0.1', /number in \(0, 1\]/],
    ['noise:abc', /number in \(0, 1\]/],
    ['classes:', /needs an amount/],
    ['classes:6,,4', /class "" .* not a whole number/],
    ['classes:6,x', /class "x"/],
    ['classes:10', /class 10 is out of range for a dataset of 10 classes \(0-9\)/],
    ['classes:2,2', /twice/],
    ['classes:1@0', /share must be in \(0, 1\]/],
    ['classes:1@1.2', /share must be in \(0, 1\]/],
    ['classes:1@x', /share must be a number/],
    ['classes:1@0.5@0.2', /one @share/],
  ];
  it.each(bad)('refuses %s with BAD_SHIFT', (text, message) => {
    let error: unknown;
    try {
      parseShiftSpec(text, { classCount: 10 });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DeviceError);
    expect(error).toMatchObject({ code: 'BAD_SHIFT' });
    expect((error as Error).message).toMatch(message);
  });

  it('checks class ranges only against a dataset it is given', () => {
    expect(parseShiftSpec('classes:42')).toEqual({ kind: 'classes', classes: [42], share: 1 });
    expect(() => parseShiftSpec('classes:42', { classCount: 10 })).toThrow(/out of range/);
  });
});
