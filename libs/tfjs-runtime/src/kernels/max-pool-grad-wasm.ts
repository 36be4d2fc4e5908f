import {
  MaxPoolGrad,
  type KernelConfig,
  type KernelFunc,
  type MaxPoolGradAttrs,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { assertFloat32, poolGeometry } from './conv-geometry';
import { maxPoolGradLoops } from './max-pool-grad-cpu';

const OP = 'MaxPoolGrad (wasm)';

function maxPoolGradWasm(args: Parameters<KernelFunc>[0]): TensorInfo {
  const backend = args.backend as BackendWasm;
  const { dy, input } = args.inputs as { dy: TensorInfo; input: TensorInfo };
  const a = args.attrs as unknown as MaxPoolGradAttrs;
  assertFloat32(OP, dy.dtype, input.dtype);
  const g = poolGeometry(OP, input.shape, a.filterSize, a.strides, a.pad, a.dimRoundingMode);
  // Allocate first: growing the heap detaches views taken earlier.
  const out = backend.makeOutput(input.shape, 'float32');
  const dx = backend.typedArrayFromHeap(out) as Float32Array;
  dx.fill(0);
  const x = backend.typedArrayFromHeap(input) as Float32Array;
  maxPoolGradLoops(x, backend.typedArrayFromHeap(dy) as Float32Array, g, dx);
  return out;
}

/** Replaces wasm's MaxPoolGrad (a window scan per input pixel) with one contiguous pass. */
export const maxPoolGradWasmConfig: KernelConfig = {
  kernelName: MaxPoolGrad,
  backendName: 'wasm',
  kernelFunc: maxPoolGradWasm as unknown as KernelFunc,
};
