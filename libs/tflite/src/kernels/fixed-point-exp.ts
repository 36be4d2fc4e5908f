/**
 * gemmlowp's fixed-point exp and reciprocal, the arithmetic behind TFLM's int8 SOFTMAX
 * (reference_ops::Softmax; TFLM uses these, not a LUT, for int8 input). Values are raw int32
 * fixed-point numbers; `Qm` below means m integer bits and 31 - m fractional bits.
 */
import {
  roundingDivideByPOT,
  roundingHalfSum,
  saturatingRoundingDoublingHighMul as mul,
  saturatingShiftLeft,
} from './fixed-point';

const Q0_ONE = 2147483647;
/** exp(-1/8) in Q0. */
const EXP_MINUS_ONE_EIGHTH = 1895147668;
/** 1/3 in Q0. */
const ONE_THIRD = 715827883;
/** exp(-2^k) in Q0 for k = -2..4, applied for each set bit of the input's integer part. */
const EXP_BARREL: readonly number[] = [1672461947, 1302514674, 790015084, 290630308, 39332535, 720401, 242];
/** 48/17 and -32/17 in Q2: the Newton-Raphson starting point for 1 / (1 + x). */
const FORTY_EIGHT_SEVENTEENTHS = 1515870810;
const MINUS_THIRTY_TWO_SEVENTEENTHS = -1010580540;
const Q2_ONE = 1 << 29;

/** exp(a) for a in [-1/4, 0), a and result in Q0 (Taylor series around -1/8). */
export function expOnIntervalNegativeQuarterToZero(a: number): number {
  const x = (a + (1 << 28)) | 0;
  const x2 = mul(x, x);
  const x3 = mul(x2, x);
  const x4 = mul(x2, x2);
  const x4Over4 = roundingDivideByPOT(x4, 2);
  const poly = roundingDivideByPOT((mul((x4Over4 + x3) | 0, ONE_THIRD) + x2) | 0, 1);
  return (EXP_MINUS_ONE_EIGHTH + mul(EXP_MINUS_ONE_EIGHTH, (x + poly) | 0)) | 0;
}

/**
 * exp(a) for a <= 0 given in Q`integerBits`, result in Q0. Splits a into a multiple of 1/4
 * (handled by the barrel of exp(-2^k) constants) and a remainder in [-1/4, 0).
 */
export function expOnNegativeValues(a: number, integerBits: number): number {
  const fractionalBits = 31 - integerBits;
  const oneQuarter = 1 << (fractionalBits - 2);
  const modQuarterMinusQuarter = ((a & (oneQuarter - 1)) - oneQuarter) | 0;
  let result = expOnIntervalNegativeQuarterToZero(saturatingShiftLeft(modQuarterMinusQuarter, integerBits));
  const remainder = (modQuarterMinusQuarter - a) | 0;
  for (let k = -2; k <= 4; k++) {
    if (integerBits > k && (remainder & (1 << (fractionalBits + k))) !== 0) {
      result = mul(result, EXP_BARREL[k + 2]);
    }
  }
  if (integerBits > 5 && a < -(1 << (36 - integerBits))) result = 0;
  return a === 0 ? Q0_ONE : result;
}

/** 1 / (1 + a) for a in [0, 1), input and result in Q0 (three Newton-Raphson steps in Q2). */
export function oneOverOnePlusXForXIn01(a: number): number {
  const halfDenominator = roundingHalfSum(a, Q0_ONE);
  let x = (FORTY_EIGHT_SEVENTEENTHS + mul(halfDenominator, MINUS_THIRTY_TWO_SEVENTEENTHS)) | 0;
  for (let i = 0; i < 3; i++) {
    const halfDenominatorTimesX = mul(halfDenominator, x);
    const oneMinus = (Q2_ONE - halfDenominatorTimesX) | 0;
    x = (x + saturatingShiftLeft(mul(x, oneMinus), 2)) | 0;
  }
  return saturatingShiftLeft(x, 1);
}

/** TFLite GetReciprocal: 1/x for x in Q`integerDigits`, as a Q0 value and a power-of-two exponent. */
export function getReciprocal(
  x: number,
  integerDigits: number,
): { reciprocal: number; bitsOverUnit: number } {
  const headroomPlusOne = Math.clz32(x);
  const shiftedMinusOne = (((x << headroomPlusOne) >>> 0) - 2147483648) | 0;
  return {
    reciprocal: oneOverOnePlusXForXIn01(shiftedMinusOne),
    bitsOverUnit: integerDigits - headroomPlusOne,
  };
}
