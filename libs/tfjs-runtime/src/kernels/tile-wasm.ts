import {
  Tile,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
  type TileAttrs,
} from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { TfjsRuntimeError } from '../tfjs-runtime-error';

type Numeric = Float32Array | Int32Array | Uint8Array;

/**
 * Writes `x` tiled by `reps` into `out` with block copies: each axis is filled once from the
 * inner axes, then its whole block is duplicated `reps - 1` times with copyWithin, so the cost
 * is one memcpy of the output instead of an index computation per element.
 */
export function tileLoops(x: Numeric, shape: number[], reps: number[], out: Numeric): Numeric {
  const rank = shape.length;
  const inStrides = new Array<number>(rank);
  const outStrides = new Array<number>(rank);
  let inSize = 1;
  let outSize = 1;
  for (let d = rank - 1; d >= 0; d--) {
    inStrides[d] = inSize;
    outStrides[d] = outSize;
    inSize *= shape[d];
    outSize *= shape[d] * reps[d];
  }
  const fill = (axis: number, inOffset: number, outOffset: number): void => {
    const block = shape[axis] * outStrides[axis];
    if (axis === rank - 1) {
      out.set(x.subarray(inOffset, inOffset + shape[axis]), outOffset);
    } else {
      for (let i = 0; i < shape[axis]; i++) {
        fill(axis + 1, inOffset + i * inStrides[axis], outOffset + i * outStrides[axis]);
      }
    }
    for (let r = 1; r < reps[axis]; r++) out.copyWithin(outOffset + r * block, outOffset, outOffset + block);
  };
  if (rank === 0) out.set(x);
  else if (outSize > 0) fill(0, 0, 0);
  return out;
}

function tileWasm(args: Parameters<KernelFunc>[0]): TensorInfo {
  const backend = args.backend as BackendWasm;
  const { x } = args.inputs as { x: TensorInfo };
  const { reps } = args.attrs as unknown as TileAttrs;
  if (x.dtype === 'string' || x.dtype === 'complex64') {
    // The stock wasm Tile aborts the whole wasm module on these; fail cleanly instead.
    throw new TfjsRuntimeError(
      'UNSUPPORTED_DTYPE',
      `Tile on wasm supports numeric and bool tensors, not ${x.dtype}; tile on cpu.`,
    );
  }
  const outShape = x.shape.map((d, i) => d * reps[i]);
  const out = backend.makeOutput(outShape, x.dtype);
  const outValues = backend.typedArrayFromHeap(out) as Numeric;
  tileLoops(backend.typedArrayFromHeap(x) as Numeric, x.shape, reps, outValues);
  return out;
}

/** Replaces wasm's Tile (per-element index arithmetic; batch-norm gradients tile whole activations). */
export const tileWasmConfig: KernelConfig = {
  kernelName: Tile,
  backendName: 'wasm',
  kernelFunc: tileWasm as unknown as KernelFunc,
};
