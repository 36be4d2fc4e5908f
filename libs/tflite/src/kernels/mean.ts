/**
 * MEAN over constant axes (TFLM reduce_common.cc). int8 with equal input/output quantization:
 * int32 sum divided by the count, truncating (reference_ops::Mean); otherwise
 * QuantizedMeanOrSum, which folds 1/count into the requantization multiplier. float32: float sums.
 */
import { multiplyByQuantizedMultiplier, quantizeMultiplier } from './fixed-point';
import { check, checkArity, checkSupported, flatSize, input, perTensorQuant } from './kernel-checks';
import type { Kernel, KernelContext } from './kernel';

interface MeanData {
  mode: 'float' | 'int8-same-scale' | 'int8-rescale';
  /** For every input element, the index of the output element it is summed into. */
  outIndex: Int32Array;
  count: number;
  sums: Float64Array;
  inputZeroPoint: number;
  outputZeroPoint: number;
  multiplier: number;
  shift: number;
}

function resolveAxes(ctx: KernelContext, axes: ArrayLike<number>, rank: number): boolean[] {
  const reduced = new Array<boolean>(rank).fill(false);
  for (let i = 0; i < axes.length; i++) {
    const a = axes[i] < 0 ? axes[i] + rank : axes[i];
    check(ctx, a >= 0 && a < rank, () => `axis ${axes[i]} is out of range for rank ${rank}`);
    reduced[a] = true;
  }
  return reduced;
}

function buildOutIndex(shape: readonly number[], reduced: boolean[]): Int32Array {
  const outIndex = new Int32Array(flatSize(shape));
  const counter = new Array<number>(shape.length).fill(0);
  for (let i = 0; i < outIndex.length; i++) {
    let o = 0;
    for (let d = 0; d < shape.length; d++) if (!reduced[d]) o = o * shape[d] + counter[d];
    outIndex[i] = o;
    for (let d = shape.length - 1; d >= 0 && ++counter[d] === shape[d]; d--) counter[d] = 0;
  }
  return outIndex;
}

function prepare(ctx: KernelContext): MeanData {
  checkArity(ctx, 2, 1);
  const x = input(ctx, 0, 'input');
  const axis = input(ctx, 1, 'axis');
  const out = ctx.outputs[0];
  checkSupported(
    ctx,
    axis.type === 'INT32' && axis.isConstant,
    () => `axis must be a constant int32 tensor, got ${axis.type}`,
  );
  const reduced = resolveAxes(ctx, axis.data, x.shape.length);
  const count = x.shape.reduce((n, d, i) => (reduced[i] ? n * d : n), 1);
  const outputs = flatSize(x.shape) / Math.max(count, 1);
  check(
    ctx,
    flatSize(out.shape) === outputs,
    () => `output [${out.shape.join(',')}] should have ${outputs} elements`,
  );
  const base = { outIndex: buildOutIndex(x.shape, reduced), count, sums: new Float64Array(outputs) };
  const none = { inputZeroPoint: 0, outputZeroPoint: 0, multiplier: 0, shift: 0 };
  if (x.type === 'FLOAT32' && out.type === 'FLOAT32') return { mode: 'float', ...base, ...none };
  checkSupported(
    ctx,
    x.type === 'INT8' && out.type === 'INT8',
    () => `supports int8 or float32, got ${x.type} -> ${out.type}`,
  );
  const qi = perTensorQuant(ctx, x, 'input');
  const qo = perTensorQuant(ctx, out, 'output');
  if (qi.scale === qo.scale && qi.zeroPoint === qo.zeroPoint)
    return { mode: 'int8-same-scale', ...base, ...none };
  let { multiplier, shift } = quantizeMultiplier(qi.scale / qo.scale);
  // Fold 1/count into the multiplier, keeping it in Q31 (shift by floor(log2(count)), capped).
  const extra = Math.min(31 - Math.clz32(count), 32, 31 + shift);
  multiplier = Number((BigInt(multiplier) << BigInt(extra)) / BigInt(count));
  shift -= extra;
  return {
    mode: 'int8-rescale',
    ...base,
    inputZeroPoint: qi.zeroPoint,
    outputZeroPoint: qo.zeroPoint,
    multiplier,
    shift,
  };
}

function evalMean(ctx: KernelContext, d: MeanData): void {
  const x = ctx.inputs[0]!.data;
  const y = ctx.outputs[0].data;
  const { sums, outIndex, count } = d;
  sums.fill(0);
  const float = d.mode === 'float';
  for (let i = 0; i < x.length; i++) {
    const o = outIndex[i];
    sums[o] = float ? Math.fround(sums[o] + x[i]) : sums[o] + x[i];
  }
  for (let o = 0; o < sums.length; o++) {
    if (d.mode === 'float') y[o] = Math.fround(sums[o] / count);
    else if (d.mode === 'int8-same-scale') y[o] = Math.trunc(sums[o] / count);
    else {
      const v =
        multiplyByQuantizedMultiplier((sums[o] - d.inputZeroPoint * count) | 0, d.multiplier, d.shift) +
        d.outputZeroPoint;
      y[o] = v < -128 ? -128 : v > 127 ? 127 : v;
    }
  }
}

/** MEAN kernel (int8 as TFLM, or float32), any constant set of axes. */
export const meanKernel: Kernel<MeanData> = { name: 'MEAN', prepare, eval: evalMean };
