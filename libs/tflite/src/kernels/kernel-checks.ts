/** Validation helpers for kernel `prepare` functions; every message names the op and its index. */
import type { BuiltinOptions, TensorTypeName } from '../model/tflite-model';
import { TfliteError, type TfliteErrorCode } from '../tflite-error';
import type { KernelContext, RuntimeTensor } from './kernel';

/** Builds the error a kernel throws, prefixed with `OP_NAME (op N):`. */
export function opError(ctx: KernelContext, code: TfliteErrorCode, message: string): TfliteError {
  return new TfliteError(code, `${ctx.opName} (op ${ctx.opIndex}): ${message}`);
}

/** Throws INVALID_MODEL unless `condition` holds; `message` is only built on failure. */
export function check(ctx: KernelContext, condition: boolean, message: () => string): asserts condition {
  if (!condition) throw opError(ctx, 'INVALID_MODEL', message());
}

/** Throws UNSUPPORTED_OP unless `condition` holds (valid TFLite, but not something we run). */
export function checkSupported(
  ctx: KernelContext,
  condition: boolean,
  message: () => string,
): asserts condition {
  if (!condition) throw opError(ctx, 'UNSUPPORTED_OP', message());
}

/** Checks the operator's input and output counts (`maxInputs` allows trailing optional inputs). */
export function checkArity(
  ctx: KernelContext,
  minInputs: number,
  outputs: number,
  maxInputs = minInputs,
): void {
  const n = ctx.inputs.length;
  check(ctx, n >= minInputs && n <= maxInputs, () =>
    minInputs === maxInputs
      ? `expects ${minInputs} inputs, got ${n}`
      : `expects ${minInputs} to ${maxInputs} inputs, got ${n}`,
  );
  check(ctx, ctx.outputs.length === outputs, () => `expects ${outputs} outputs, got ${ctx.outputs.length}`);
}

/** The required input `i`. */
export function input(ctx: KernelContext, i: number, role: string): RuntimeTensor {
  const t = ctx.inputs[i];
  check(ctx, t !== undefined, () => `${role} (input ${i}) is missing`);
  return t;
}

/** Checks a tensor's element type. */
export function checkType(
  ctx: KernelContext,
  t: RuntimeTensor,
  role: string,
  types: readonly TensorTypeName[],
): void {
  checkSupported(ctx, types.includes(t.type), () => `${role} must be ${types.join(' or ')}, got ${t.type}`);
}

/** Checks a tensor's rank. */
export function checkRank(ctx: KernelContext, t: RuntimeTensor, role: string, rank: number): void {
  check(ctx, t.shape.length === rank, () => `${role} must be rank ${rank}, got shape [${t.shape.join(',')}]`);
}

/** The per-tensor scale and zero point of a quantized tensor. */
export function perTensorQuant(
  ctx: KernelContext,
  t: RuntimeTensor,
  role: string,
): { scale: number; zeroPoint: number } {
  check(
    ctx,
    t.scale.length >= 1 && t.zeroPoint.length >= 1,
    () => `${role} ${t.type} tensor has no quantization`,
  );
  check(
    ctx,
    t.scale.length === 1,
    () => `${role} must be quantized per tensor, got ${t.scale.length} scales`,
  );
  return { scale: t.scale[0], zeroPoint: t.zeroPoint[0] };
}

/** The builtin options of the expected kind. */
export function options<K extends BuiltinOptions['kind']>(
  ctx: KernelContext,
  kind: K,
): Extract<BuiltinOptions, { kind: K }> {
  const o = ctx.options;
  check(ctx, o !== undefined && o.kind === kind, () => `expects ${kind}, got ${o ? o.kind : 'none'}`);
  return o as Extract<BuiltinOptions, { kind: K }>;
}

/** Number of elements of a shape (1 for a scalar). */
export function flatSize(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}
