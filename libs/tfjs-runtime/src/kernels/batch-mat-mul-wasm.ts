import {
  BatchMatMul,
  Transpose,
  type BatchMatMulAttrs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { requireStockKernel } from '../stock-kernels';
import { runWasmKernel } from './run-wasm-kernel';

/** Swaps the last two axes (a batched matrix transpose) with the wasm Transpose kernel. */
function transposeLastTwo(backend: BackendWasm, x: TensorInfo): TensorInfo {
  const rank = x.shape.length;
  const perm = [...Array(rank - 2).keys(), rank - 1, rank - 2];
  return runWasmKernel(Transpose, backend, { x }, { perm });
}

/**
 * BatchMatMul on wasm with the operands transposed first when asked: stock wasm runs a naive
 * loop whenever transposeA is set or the weights must be repacked transposed, which made the
 * dense layer's two gradient products of a training step take ~90 and ~45 ms instead of
 * ~6 each with an explicit Transpose and XNNPACK's GEMM (both measured on a loaded machine).
 */
function batchMatMulWasm(args: Parameters<KernelFunc>[0]): TensorInfo {
  const stock = requireStockKernel(BatchMatMul, 'wasm');
  const { transposeA, transposeB } = args.attrs as unknown as BatchMatMulAttrs;
  if (!transposeA && !transposeB) return stock.kernelFunc(args) as TensorInfo;
  const backend = args.backend as BackendWasm;
  const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
  const temps: TensorInfo[] = [];
  const plain = (x: TensorInfo, transposed: boolean) => {
    if (!transposed) return x;
    const t = transposeLastTwo(backend, x);
    temps.push(t);
    return t;
  };
  try {
    return stock.kernelFunc({
      ...args,
      inputs: { a: plain(a, transposeA), b: plain(b, transposeB) },
      attrs: { ...args.attrs, transposeA: false, transposeB: false },
    }) as TensorInfo;
  } finally {
    for (const t of temps) backend.disposeData(t.dataId);
  }
}

/** BatchMatMul for wasm that never takes the stock kernel's slow transposed path. */
export const batchMatMulWasmConfig: KernelConfig = {
  kernelName: BatchMatMul,
  backendName: 'wasm',
  kernelFunc: batchMatMulWasm as unknown as KernelFunc,
};
