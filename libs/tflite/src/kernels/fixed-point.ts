/**
 * Integer requantization exactly as TFLite Micro's reference kernels do it (double-rounding
 * build, i.e. `TFLITE_SINGLE_ROUNDING` off, which is the TFLM default): gemmlowp's
 * SaturatingRoundingDoublingHighMul + RoundingDivideByPOT, and QuantizeMultiplier via frexp.
 * Every function takes and returns int32 values held in JS numbers; nothing allocates.
 */

const TWO_POW_31 = 2147483648;
const TWO_POW_32 = 4294967296;
const TWO_POW_52 = 4503599627370496;
const NUDGE_POSITIVE = 1 << 30;
const NUDGE_NEGATIVE = 1 - (1 << 30);
const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

/** `2^e - 1` for e in [0, 31], as used for RoundingDivideByPOT masks. */
const POT_MASKS: Int32Array = (() => {
  const masks = new Int32Array(32);
  for (let e = 0; e < 32; e++) masks[e] = 2 ** e - 1;
  return masks;
})();

/**
 * gemmlowp SaturatingRoundingDoublingHighMul: round(a * b / 2^31) with ties away from zero,
 * the one overflow case (INT32_MIN squared) saturating to INT32_MAX.
 */
export function saturatingRoundingDoublingHighMul(a: number, b: number): number {
  const approx = a * b;
  const negative = approx < 0;
  if (approx < TWO_POW_52 && approx > -TWO_POW_52) {
    // Small products are exact, and so is adding the nudge: divide, truncating toward zero like C++.
    return Math.trunc((approx + (negative ? NUDGE_NEGATIVE : NUDGE_POSITIVE)) / TWO_POW_31);
  }
  if (a === INT32_MIN && b === INT32_MIN) return INT32_MAX;
  // The 62-bit product is not exact in a double, but its low 32 bits are (Math.imul) and the
  // double is within 2^10 of it, so the high word can be recovered exactly.
  const low = Math.imul(a, b) >>> 0;
  const high = Math.round((approx - low) / TWO_POW_32);
  const nudged = low + (negative ? NUDGE_NEGATIVE : NUDGE_POSITIVE);
  const quotient = Math.floor(nudged / TWO_POW_31);
  // (high * 2^32 + nudged) / 2^31 truncated toward zero: floor, plus one for an inexact negative.
  return 2 * high + quotient + (negative && nudged !== quotient * TWO_POW_31 ? 1 : 0);
}

/** gemmlowp RoundingDivideByPOT: arithmetic shift right by `exponent` (0..31), round half away from zero. */
export function roundingDivideByPOT(x: number, exponent: number): number {
  const mask = POT_MASKS[exponent];
  const remainder = x & mask;
  const threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  return (x >> exponent) + (remainder > threshold ? 1 : 0);
}

/** TFLite MultiplyByQuantizedMultiplier (int32 input): x * multiplier * 2^(shift - 31), rounded twice. */
export function multiplyByQuantizedMultiplier(x: number, multiplier: number, shift: number): number {
  const leftShift = shift > 0 ? shift : 0;
  const rightShift = shift > 0 ? 0 : -shift;
  return roundingDivideByPOT(saturatingRoundingDoublingHighMul(x << leftShift, multiplier), rightShift);
}

/** TFLite MultiplyByQuantizedMultiplierSmallerThanOneExp (`shift` <= 0). */
export function multiplyByQuantizedMultiplierSmallerThanOneExp(
  x: number,
  multiplier: number,
  shift: number,
): number {
  return roundingDivideByPOT(saturatingRoundingDoublingHighMul(x, multiplier), -shift);
}

/** TFLite MultiplyByQuantizedMultiplierGreaterThanOne (`leftShift` >= 0). */
export function multiplyByQuantizedMultiplierGreaterThanOne(
  x: number,
  multiplier: number,
  leftShift: number,
): number {
  return saturatingRoundingDoublingHighMul(x << leftShift, multiplier);
}

/** gemmlowp SaturatingRoundingMultiplyByPOT for a positive exponent: saturating left shift. */
export function saturatingShiftLeft(x: number, exponent: number): number {
  const threshold = 2 ** (31 - exponent) - 1;
  if (x > threshold) return INT32_MAX;
  if (x < -threshold) return INT32_MIN;
  return x << exponent;
}

/** gemmlowp RoundingHalfSum for int32: (a + b) / 2 rounded half away from zero. */
export function roundingHalfSum(a: number, b: number): number {
  const sum = a + b;
  return Math.trunc((sum + (sum >= 0 ? 1 : -1)) / 2);
}

/** C `round()` / TfLiteRound: nearest integer, ties away from zero (Math.round ties toward +inf). */
export function roundHalfAwayFromZero(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}

/** C `frexp`: x = fraction * 2^exponent with |fraction| in [0.5, 1); exact for every finite double. */
export function frexp(x: number): { fraction: number; exponent: number } {
  if (x === 0 || !Number.isFinite(x)) return { fraction: x, exponent: 0 };
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  let biased = (view.getUint16(0) >> 4) & 0x7ff;
  let bias = 1022;
  if (biased === 0) {
    // Subnormal: scale into the normal range first (exact), then correct the exponent.
    view.setFloat64(0, x * 2 ** 64);
    biased = (view.getUint16(0) >> 4) & 0x7ff;
    bias += 64;
  }
  const exponent = biased - bias;
  // Rewrite the exponent field so the fraction lands in [0.5, 1).
  view.setUint16(0, (view.getUint16(0) & 0x800f) | (1022 << 4));
  return { fraction: view.getFloat64(0), exponent };
}

/** Fixed-point form of a real multiplier: real = multiplier * 2^(shift - 31). */
export interface QuantizedMultiplier {
  multiplier: number;
  shift: number;
}

/**
 * TFLite QuantizeMultiplier: frexp, round the fraction to Q31 (ties away from zero), fold the
 * 2^31 case into the exponent, and flush multipliers below 2^-31 to zero.
 */
export function quantizeMultiplier(realMultiplier: number): QuantizedMultiplier {
  if (realMultiplier === 0) return { multiplier: 0, shift: 0 };
  const { fraction, exponent } = frexp(realMultiplier);
  let shift = exponent;
  let qFixed = roundHalfAwayFromZero(fraction * TWO_POW_31);
  if (qFixed === TWO_POW_31) {
    qFixed /= 2;
    shift += 1;
  }
  if (shift < -31) {
    shift = 0;
    qFixed = 0;
  }
  return { multiplier: qFixed, shift };
}

/** Saturates an integer to the int8 range. */
export function clampInt8(x: number): number {
  return x < -128 ? -128 : x > 127 ? 127 : x;
}
