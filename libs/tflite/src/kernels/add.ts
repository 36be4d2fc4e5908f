/**
 * ADD: TFLM reference_integer_ops::Add for int8 (both inputs shifted left by 20 bits, rescaled
 * to twice the larger input scale, summed, rescaled to the output) and float32, with broadcasting.
 */
import {
  clampInt8,
  multiplyByQuantizedMultiplierSmallerThanOneExp as scaleDown,
  quantizeMultiplier,
} from './fixed-point';
import { check, checkArity, checkSupported, flatSize, input, options, perTensorQuant } from './kernel-checks';
import type { Kernel, KernelContext } from './kernel';
import { forEachBroadcast, planBroadcast, type BroadcastPlan } from './broadcast';
import { floatActivationRange, quantizedActivationRange } from './quant-params';

const kLeftShiftInt8 = 20;

interface AddData {
  float: boolean;
  /** Undefined when both inputs have the output's shape. */
  broadcast: BroadcastPlan | undefined;
  input1Offset: number;
  input2Offset: number;
  outputOffset: number;
  input1Multiplier: number;
  input1Shift: number;
  input2Multiplier: number;
  input2Shift: number;
  outputMultiplier: number;
  outputShift: number;
  actMin: number;
  actMax: number;
}

function smallerThanOne(ctx: KernelContext, real: number): { multiplier: number; shift: number } {
  check(ctx, real > 0 && real < 1, () => `rescale factor ${real} is outside (0, 1); check the tensor scales`);
  return quantizeMultiplier(real);
}

function prepare(ctx: KernelContext): AddData {
  checkArity(ctx, 2, 1);
  const o = options(ctx, 'AddOptions');
  const a = input(ctx, 0, 'input1');
  const b = input(ctx, 1, 'input2');
  const out = ctx.outputs[0];
  const sameShapes = a.shape.join(',') === b.shape.join(',');
  const plan = planBroadcast(a.shape, b.shape);
  check(
    ctx,
    plan !== undefined,
    () => `shapes [${a.shape.join(',')}] and [${b.shape.join(',')}] do not broadcast`,
  );
  check(
    ctx,
    flatSize(plan.shape) === flatSize(out.shape),
    () => `output [${out.shape.join(',')}] does not match broadcast [${plan.shape.join(',')}]`,
  );
  const broadcast = sameShapes ? undefined : plan;
  const unused = {
    input1Offset: 0,
    input2Offset: 0,
    outputOffset: 0,
    input1Multiplier: 0,
    input1Shift: 0,
    input2Multiplier: 0,
    input2Shift: 0,
    outputMultiplier: 0,
    outputShift: 0,
  };
  if (a.type === 'FLOAT32' && b.type === 'FLOAT32' && out.type === 'FLOAT32') {
    const range = floatActivationRange(ctx, o.fusedActivation);
    return { float: true, broadcast, ...unused, actMin: range.min, actMax: range.max };
  }
  checkSupported(
    ctx,
    a.type === 'INT8' && b.type === 'INT8' && out.type === 'INT8',
    () => `supports int8 or float32 inputs and output, got ${a.type} + ${b.type} -> ${out.type}`,
  );
  const q1 = perTensorQuant(ctx, a, 'input1');
  const q2 = perTensorQuant(ctx, b, 'input2');
  const qo = perTensorQuant(ctx, out, 'output');
  const twiceMaxInputScale = 2 * Math.max(q1.scale, q2.scale);
  const m1 = smallerThanOne(ctx, q1.scale / twiceMaxInputScale);
  const m2 = smallerThanOne(ctx, q2.scale / twiceMaxInputScale);
  const mo = smallerThanOne(ctx, twiceMaxInputScale / ((1 << kLeftShiftInt8) * qo.scale));
  const range = quantizedActivationRange(ctx, o.fusedActivation, out.type, qo.scale, qo.zeroPoint);
  return {
    float: false,
    broadcast,
    input1Offset: -q1.zeroPoint,
    input2Offset: -q2.zeroPoint,
    outputOffset: qo.zeroPoint,
    input1Multiplier: m1.multiplier,
    input1Shift: m1.shift,
    input2Multiplier: m2.multiplier,
    input2Shift: m2.shift,
    outputMultiplier: mo.multiplier,
    outputShift: mo.shift,
    actMin: range.min,
    actMax: range.max,
  };
}

function addInt8(d: AddData, x1: number, x2: number): number {
  const s1 = scaleDown((x1 + d.input1Offset) << kLeftShiftInt8, d.input1Multiplier, d.input1Shift);
  const s2 = scaleDown((x2 + d.input2Offset) << kLeftShiftInt8, d.input2Multiplier, d.input2Shift);
  const v = scaleDown((s1 + s2) | 0, d.outputMultiplier, d.outputShift) + d.outputOffset;
  return clampInt8(v < d.actMin ? d.actMin : v > d.actMax ? d.actMax : v);
}

function addFloat(d: AddData, x1: number, x2: number): number {
  const v = Math.fround(x1 + x2);
  return v < d.actMin ? d.actMin : v > d.actMax ? d.actMax : v;
}

function evalAdd(ctx: KernelContext, d: AddData): void {
  const x1 = ctx.inputs[0]!.data;
  const x2 = ctx.inputs[1]!.data;
  const y = ctx.outputs[0].data;
  if (d.broadcast !== undefined) {
    const f = d.float ? addFloat : addInt8;
    forEachBroadcast(d.broadcast, (o, i1, i2) => {
      y[o] = f(d, x1[i1], x2[i2]);
    });
  } else if (d.float) {
    for (let i = 0; i < y.length; i++) y[i] = addFloat(d, x1[i], x2[i]);
  } else {
    for (let i = 0; i < y.length; i++) y[i] = addInt8(d, x1[i], x2[i]);
  }
}

/** ADD kernel (int8 with TFLM's 20-bit left shift rescaling, or float32; broadcasting). */
export const addKernel: Kernel<AddData> = { name: 'ADD', prepare, eval: evalAdd };
