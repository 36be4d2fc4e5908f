import {
  clampInt8,
  frexp,
  multiplyByQuantizedMultiplier,
  quantizeMultiplier,
  roundHalfAwayFromZero,
  roundingDivideByPOT,
  roundingHalfSum,
  saturatingRoundingDoublingHighMul,
  saturatingShiftLeft,
} from './fixed-point';

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

// Oracles in BigInt, written from gemmlowp's definitions rather than from our implementation.
function srdhmOracle(a: number, b: number): number {
  if (a === INT32_MIN && b === INT32_MIN) return INT32_MAX;
  const ab = BigInt(a) * BigInt(b);
  const nudge = ab >= 0n ? 1n << 30n : 1n - (1n << 30n);
  return Number((ab + nudge) / (1n << 31n)); // BigInt division truncates toward zero, like C++
}

function rdbpotOracle(x: number, e: number): number {
  // round(x / 2^e), ties away from zero
  const d = 2 ** e;
  const q = Math.floor(Math.abs(x) / d);
  const r = Math.abs(x) - q * d;
  const mag = 2 * r >= d ? q + 1 : q;
  return x < 0 && mag !== 0 ? -mag : mag;
}

/** Deterministic pseudo-random int32s (xorshift), so failures reproduce. */
function* int32s(seed: number, n: number): Generator<number> {
  let s = seed;
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    yield s | 0;
  }
}

describe(saturatingRoundingDoublingHighMul.name, () => {
  it('matches the 64-bit definition on extremes and random pairs', () => {
    const edge = [
      0,
      1,
      -1,
      2,
      -2,
      1 << 30,
      -(1 << 30),
      INT32_MAX,
      INT32_MIN,
      INT32_MAX - 1,
      INT32_MIN + 1,
      12345,
      -98765,
    ];
    const pairs: [number, number][] = [];
    for (const a of edge) for (const b of edge) pairs.push([a, b]);
    const rs = [...int32s(7, 6000)];
    for (let i = 0; i + 1 < rs.length; i += 2) pairs.push([rs[i], rs[i + 1]], [rs[i] >> 20, rs[i + 1]]);
    const wrong = pairs.filter(([a, b]) => saturatingRoundingDoublingHighMul(a, b) !== srdhmOracle(a, b));
    expect(wrong).toEqual([]);
  });

  it('saturates only INT32_MIN * INT32_MIN', () => {
    expect(saturatingRoundingDoublingHighMul(INT32_MIN, INT32_MIN)).toBe(INT32_MAX);
    expect(saturatingRoundingDoublingHighMul(INT32_MIN, INT32_MAX)).toBe(-INT32_MAX);
  });
});

describe(roundingDivideByPOT.name, () => {
  it('rounds halves away from zero, negative values included', () => {
    expect(roundingDivideByPOT(5, 1)).toBe(3);
    expect(roundingDivideByPOT(-5, 1)).toBe(-3);
    expect(roundingDivideByPOT(-3, 1)).toBe(-2);
    expect(roundingDivideByPOT(-1, 1)).toBe(-1);
    expect(roundingDivideByPOT(-6, 2)).toBe(-2); // -1.5
    expect(roundingDivideByPOT(-5, 2)).toBe(-1); // -1.25
    expect(roundingDivideByPOT(7, 0)).toBe(7);
  });

  it('matches exact rounding for every exponent 0..31', () => {
    const wrong: [number, number][] = [];
    for (const x of [...int32s(3, 3000), INT32_MIN, INT32_MAX, 0, -1]) {
      for (let e = 0; e <= 31; e++) if (roundingDivideByPOT(x, e) !== rdbpotOracle(x, e)) wrong.push([x, e]);
    }
    expect(wrong).toEqual([]);
  });
});

describe(frexp.name, () => {
  it('splits normal and subnormal doubles exactly', () => {
    for (const x of [1, 0.5, 0.75, 3, -6.5, 1e-300, 5e-324, 2.2e-308, 1.7976931348623157e308, 0.0040784]) {
      const { fraction, exponent } = frexp(x);
      expect(Math.abs(fraction)).toBeGreaterThanOrEqual(0.5);
      expect(Math.abs(fraction)).toBeLessThan(1);
      // Two steps, so no intermediate power of two overflows or underflows.
      const back =
        exponent > 0 ? fraction * 2 ** (exponent - 1) * 2 : (fraction * 2 ** (exponent + 60)) / 2 ** 60;
      expect(back).toBe(x);
    }
    expect(frexp(0)).toEqual({ fraction: 0, exponent: 0 });
  });
});

describe(quantizeMultiplier.name, () => {
  it('encodes powers of two exactly', () => {
    expect(quantizeMultiplier(1)).toEqual({ multiplier: 2 ** 30, shift: 1 });
    expect(quantizeMultiplier(0.5)).toEqual({ multiplier: 2 ** 30, shift: 0 });
    expect(quantizeMultiplier(2 ** -20)).toEqual({ multiplier: 2 ** 30, shift: -19 });
  });

  it('folds a fraction that rounds up to 2^31 into the exponent', () => {
    expect(quantizeMultiplier(1 - 2 ** -40)).toEqual({ multiplier: 2 ** 30, shift: 1 });
  });

  it('flushes zero and multipliers below 2^-32 to zero', () => {
    expect(quantizeMultiplier(0)).toEqual({ multiplier: 0, shift: 0 });
    expect(quantizeMultiplier(2 ** -40)).toEqual({ multiplier: 0, shift: 0 });
    expect(quantizeMultiplier(2 ** -32)).toEqual({ multiplier: 2 ** 30, shift: -31 });
  });

  it('rounds the Q31 fraction half away from zero, also for negative multipliers', () => {
    // 0.75 + 2^-32 has fraction bits ending exactly at a half of the Q31 grid.
    expect(quantizeMultiplier(0.75 + 2 ** -32)).toEqual({ multiplier: 0.75 * 2 ** 31 + 1, shift: 0 });
    expect(quantizeMultiplier(-(0.75 + 2 ** -32))).toEqual({ multiplier: -(0.75 * 2 ** 31 + 1), shift: 0 });
  });

  it('represents any multiplier within half a Q31 step', () => {
    for (const real of [0.0040784, 0.3, 0.99999, 1.5, 123.456, 3.1e-7]) {
      const { multiplier, shift } = quantizeMultiplier(real);
      expect(multiplier).toBeGreaterThanOrEqual(2 ** 30);
      expect(multiplier).toBeLessThan(2 ** 31);
      expect(Math.abs(multiplier * 2 ** (shift - 31) - real)).toBeLessThanOrEqual(2 ** (shift - 32));
    }
  });
});

describe(multiplyByQuantizedMultiplier.name, () => {
  it('is the double-rounded product SRDHM then RDBPOT', () => {
    const xs = [...int32s(11, 2000)].map((v) => v >> 8);
    for (const real of [0.0040784, 0.37, 0.99, 1.7, 6.2]) {
      const { multiplier, shift } = quantizeMultiplier(real);
      const left = shift > 0 ? shift : 0;
      const wrong = xs.filter(
        (x) =>
          multiplyByQuantizedMultiplier(x, multiplier, shift) !==
          rdbpotOracle(srdhmOracle(x * 2 ** left, multiplier), shift > 0 ? 0 : -shift),
      );
      expect(wrong).toEqual([]);
    }
  });

  it('scales by exactly one for the multiplier of 1.0', () => {
    const { multiplier, shift } = quantizeMultiplier(1);
    for (const x of [-128, -1, 0, 1, 127, 100000, -100000])
      expect(multiplyByQuantizedMultiplier(x, multiplier, shift)).toBe(x);
  });
});

describe('small helpers', () => {
  it(`${roundHalfAwayFromZero.name} rounds ties away from zero`, () => {
    expect([2.5, -2.5, 0.5, -0.5, 1.4999, -1.5].map(roundHalfAwayFromZero)).toEqual([3, -3, 1, -1, 1, -2]);
  });

  it(`${roundingHalfSum.name} averages with ties away from zero`, () => {
    expect(roundingHalfSum(3, 4)).toBe(4);
    expect(roundingHalfSum(-3, -4)).toBe(-4);
    expect(roundingHalfSum(INT32_MAX, INT32_MAX)).toBe(INT32_MAX);
  });

  it(`${saturatingShiftLeft.name} and ${clampInt8.name} saturate`, () => {
    expect(saturatingShiftLeft(1 << 29, 2)).toBe(INT32_MAX);
    expect(saturatingShiftLeft(-(1 << 29), 2)).toBe(INT32_MIN);
    expect(saturatingShiftLeft(-(1 << 28), 2)).toBe(-(1 << 30));
    expect([-300, -128, 0, 127, 300].map(clampInt8)).toEqual([-128, -128, 0, 127, 127]);
  });
});
