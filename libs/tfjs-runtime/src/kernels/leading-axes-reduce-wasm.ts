import {
  Mean,
  Sum,
  util,
  type KernelConfig,
  type KernelFunc,
  type MeanAttrs,
  type SumAttrs,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { stockKernel } from '../stock-kernels';

/** Number of leading axes reduced, or -1 unless `axes` is exactly 0..k-1. */
function leadingCount(axis: number | number[], rank: number): number {
  const axes = [...new Set(util.parseAxisParam(axis, Array(rank).fill(1)))].sort((a, b) => a - b);
  return axes.every((a, i) => a === i) ? axes.length : -1;
}

/**
 * Column sums of x viewed as [rows, cols] (rows = product of the leading reduced axes), the
 * shape of every per-channel batch-norm reduction over N,H,W. Accumulates in float64 and
 * reads memory once, where the stock kernel first transposes the whole activation.
 */
export function columnSums(
  x: Float32Array,
  rows: number,
  cols: number,
  scale: number,
  out: Float32Array,
): Float32Array {
  const acc = new Float64Array(cols);
  for (let r = 0, base = 0; r < rows; r++, base += cols) {
    for (let c = 0; c < cols; c++) acc[c] += x[base + c];
  }
  for (let c = 0; c < cols; c++) out[c] = acc[c] * scale;
  return out;
}

function reduceLeading(kernelName: string, mean: boolean): KernelFunc {
  return (args) => {
    const backend = args.backend as BackendWasm;
    const { x } = args.inputs as { x: TensorInfo };
    const { axis, keepDims } = args.attrs as unknown as SumAttrs | MeanAttrs;
    const k = x.dtype === 'float32' && x.shape.length > 0 ? leadingCount(axis, x.shape.length) : -1;
    if (k <= 0) {
      const stock = stockKernel(kernelName, 'wasm');
      if (stock === undefined) throw new Error(`${kernelName} (wasm): stock kernel missing`);
      return stock.kernelFunc(args);
    }
    const rows = util.sizeFromShape(x.shape.slice(0, k));
    const rest = x.shape.slice(k);
    const outShape = keepDims ? [...Array<number>(k).fill(1), ...rest] : rest;
    const out = backend.makeOutput(outShape, 'float32');
    const outValues = backend.typedArrayFromHeap(out) as Float32Array;
    const scale = mean ? 1 / Math.max(rows, 1) : 1;
    columnSums(
      backend.typedArrayFromHeap(x) as Float32Array,
      rows,
      util.sizeFromShape(rest),
      scale,
      outValues,
    );
    return out;
  };
}

/** Sum over leading axes on wasm by column sums; other reductions go to the stock kernel. */
export const leadingSumWasmConfig: KernelConfig = {
  kernelName: Sum,
  backendName: 'wasm',
  kernelFunc: reduceLeading(Sum, false),
};

/** Mean over leading axes on wasm by column sums; other reductions go to the stock kernel. */
export const leadingMeanWasmConfig: KernelConfig = {
  kernelName: Mean,
  backendName: 'wasm',
  kernelFunc: reduceLeading(Mean, true),
};
