/**
 * QUANTIZE: float32 -> int8 (TFLM AffineQuantize: divide in float, round half away from zero,
 * add the zero point, saturate) and int8 -> int8 requantization (reference_ops::Requantize).
 */
import { multiplyByQuantizedMultiplier, quantizeMultiplier, roundHalfAwayFromZero } from './fixed-point';
import { checkArity, checkSupported, flatSize, check, input, perTensorQuant } from './kernel-checks';
import type { Kernel, KernelContext } from './kernel';

interface QuantizeData {
  fromFloat: boolean;
  outputScale: number;
  outputZeroPoint: number;
  inputZeroPoint: number;
  multiplier: number;
  shift: number;
}

function prepare(ctx: KernelContext): QuantizeData {
  checkArity(ctx, 1, 1);
  const x = input(ctx, 0, 'input');
  const out = ctx.outputs[0];
  check(ctx, flatSize(x.shape) === flatSize(out.shape), () => 'input and output sizes differ');
  checkSupported(
    ctx,
    out.type === 'INT8' && (x.type === 'FLOAT32' || x.type === 'INT8'),
    () => `supports float32 -> int8 and int8 -> int8, got ${x.type} -> ${out.type}`,
  );
  const qo = perTensorQuant(ctx, out, 'output');
  if (x.type === 'FLOAT32') {
    return {
      fromFloat: true,
      outputScale: qo.scale,
      outputZeroPoint: qo.zeroPoint,
      inputZeroPoint: 0,
      multiplier: 0,
      shift: 0,
    };
  }
  const qi = perTensorQuant(ctx, x, 'input');
  const { multiplier, shift } = quantizeMultiplier(qi.scale / qo.scale);
  return {
    fromFloat: false,
    outputScale: qo.scale,
    outputZeroPoint: qo.zeroPoint,
    inputZeroPoint: qi.zeroPoint,
    multiplier,
    shift,
  };
}

function evalQuantize(ctx: KernelContext, d: QuantizeData): void {
  const x = ctx.inputs[0]!.data;
  const y = ctx.outputs[0].data;
  for (let i = 0; i < x.length; i++) {
    const v = d.fromFloat
      ? roundHalfAwayFromZero(Math.fround(x[i] / d.outputScale)) + d.outputZeroPoint
      : multiplyByQuantizedMultiplier(x[i] - d.inputZeroPoint, d.multiplier, d.shift) + d.outputZeroPoint;
    y[i] = v < -128 ? -128 : v > 127 ? 127 : v;
  }
}

/** QUANTIZE kernel. */
export const quantizeKernel: Kernel<QuantizeData> = { name: 'QUANTIZE', prepare, eval: evalQuantize };
