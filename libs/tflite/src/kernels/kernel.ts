/**
 * The contract every builtin-op kernel implements, after TFLM's kernel shape: `prepare` runs
 * once per operator at allocation, validates shapes, types and quantization and precomputes
 * whatever the arithmetic needs (multipliers, padding, strides); `eval` then runs blindly.
 */
import type { BuiltinOptions, TensorTypeName } from '../model/tflite-model';

/** Element storage of a tensor, by its TFLite type. */
export type TensorData = Int8Array | Uint8Array | Int16Array | Int32Array | Float32Array | Float64Array;

/** A tensor as the interpreter holds it at run time: its metadata plus typed storage. */
export interface RuntimeTensor {
  readonly index: number;
  readonly name: string;
  readonly type: TensorTypeName;
  readonly shape: readonly number[];
  readonly data: TensorData;
  /** Quantization scales rounded to float32, as stored in the file; empty when unquantized. */
  readonly scale: readonly number[];
  readonly zeroPoint: readonly number[];
  readonly quantizedDimension: number;
  /** True for tensors whose data comes from a model buffer (weights, biases, shapes). */
  readonly isConstant: boolean;
}

/** What a kernel sees of one operator. */
export interface KernelContext {
  readonly opIndex: number;
  /** Builtin operator name, e.g. 'CONV_2D'. */
  readonly opName: string;
  readonly version: number;
  readonly options: BuiltinOptions | undefined;
  /** Operator inputs in order; `undefined` where the model omits an optional input (-1). */
  readonly inputs: readonly (RuntimeTensor | undefined)[];
  readonly outputs: readonly RuntimeTensor[];
}

/** One builtin op: prepare validates and precomputes once, eval computes on every invoke. */
export interface Kernel<OpData> {
  readonly name: string;
  prepare(ctx: KernelContext): OpData;
  eval(ctx: KernelContext, data: OpData): void;
}
