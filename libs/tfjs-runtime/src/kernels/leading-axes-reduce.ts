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
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { requireStockKernel } from '../stock-kernels';
import { columnSums, leadingCount } from './column-sums';

type Backend = 'wasm' | 'cpu';

/** Runs `fill` on a fresh float32 output of the backend and returns it. */
function output(
  backendName: Backend,
  backend: unknown,
  x: TensorInfo,
  shape: number[],
  fill: (x: Float32Array, out: Float32Array) => void,
): TensorInfo {
  if (backendName === 'wasm') {
    const wasm = backend as BackendWasm;
    // Allocate first: growing the heap detaches views taken earlier.
    const out = wasm.makeOutput(shape, 'float32');
    fill(wasm.typedArrayFromHeap(x) as Float32Array, wasm.typedArrayFromHeap(out) as Float32Array);
    return out;
  }
  const cpu = backend as MathBackendCPU;
  const values = new Float32Array(util.sizeFromShape(shape));
  fill(cpu.readSync(x.dataId) as Float32Array, values);
  return cpu.makeTensorInfo(shape, 'float32', values);
}

function reduceLeading(kernelName: string, backendName: Backend, mean: boolean): KernelFunc {
  return (args) => {
    const { x } = args.inputs as { x: TensorInfo };
    const { axis, keepDims } = args.attrs as unknown as SumAttrs | MeanAttrs;
    const k = x.dtype === 'float32' && x.shape.length > 0 ? leadingCount(axis, x.shape.length) : -1;
    if (k <= 0) return requireStockKernel(kernelName, backendName).kernelFunc(args);
    const rows = util.sizeFromShape(x.shape.slice(0, k));
    const rest = x.shape.slice(k);
    const outShape = keepDims ? [...Array<number>(k).fill(1), ...rest] : rest;
    const scale = mean ? 1 / Math.max(rows, 1) : 1;
    return output(backendName, args.backend, x, outShape, (xs, out) =>
      columnSums(xs, rows, util.sizeFromShape(rest), scale, out),
    );
  };
}

function config(kernelName: string, backendName: Backend): KernelConfig {
  return { kernelName, backendName, kernelFunc: reduceLeading(kernelName, backendName, kernelName === Mean) };
}

/** Sum over leading axes on wasm by column sums; other reductions go to the stock kernel. */
export const leadingSumWasmConfig = config(Sum, 'wasm');
/** Mean over leading axes on wasm by column sums; other reductions go to the stock kernel. */
export const leadingMeanWasmConfig = config(Mean, 'wasm');
/** Sum over leading axes on cpu (stock transposes first); other reductions go to the stock kernel. */
export const leadingSumCpuConfig = config(Sum, 'cpu');
/** Mean over leading axes on cpu (stock transposes first); other reductions go to the stock kernel. */
export const leadingMeanCpuConfig = config(Mean, 'cpu');
