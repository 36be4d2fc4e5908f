import {
  DepthwiseConv2dNativeBackpropFilter,
  DepthwiseConv2dNativeBackpropInput,
  type DepthwiseConv2dNativeBackpropFilterAttrs,
  type DepthwiseConv2dNativeBackpropInputAttrs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { assertFloat32, convGeometry } from './conv-geometry';
import { depthwiseBackpropFilterLoops, depthwiseBackpropInputLoops } from './depthwise-grad-loops';

const FILTER_OP = 'DepthwiseConv2dNativeBackpropFilter (wasm)';
const INPUT_OP = 'DepthwiseConv2dNativeBackpropInput (wasm)';

// Both kernels run plain loops on views of the wasm heap: wasm 4.22 has no depthwise
// gradient and XNNPACK has no grouped reduction over the batch to build one from.
// Outputs are allocated before taking views because allocation may grow (and detach) the heap.

function backpropFilter(args: Parameters<KernelFunc>[0]): TensorInfo {
  const backend = args.backend as BackendWasm;
  const { x, dy } = args.inputs as { x: TensorInfo; dy: TensorInfo };
  const a = args.attrs as unknown as DepthwiseConv2dNativeBackpropFilterAttrs;
  assertFloat32(FILTER_OP, x.dtype, dy.dtype);
  const g = convGeometry(
    FILTER_OP,
    x.shape,
    a.filterShape,
    a.strides,
    a.dilations,
    a.pad,
    a.dimRoundingMode,
    true,
  );
  const out = backend.makeOutput(a.filterShape, 'float32');
  const dw = backend.typedArrayFromHeap(out) as Float32Array;
  dw.fill(0);
  const xv = backend.typedArrayFromHeap(x) as Float32Array;
  const dyv = backend.typedArrayFromHeap(dy) as Float32Array;
  depthwiseBackpropFilterLoops(xv, dyv, g, dw);
  return out;
}

function backpropInput(args: Parameters<KernelFunc>[0]): TensorInfo {
  const backend = args.backend as BackendWasm;
  const { dy, filter } = args.inputs as { dy: TensorInfo; filter: TensorInfo };
  const a = args.attrs as unknown as DepthwiseConv2dNativeBackpropInputAttrs;
  assertFloat32(INPUT_OP, dy.dtype, filter.dtype);
  const g = convGeometry(
    INPUT_OP,
    a.inputShape,
    filter.shape,
    a.strides,
    a.dilations,
    a.pad,
    a.dimRoundingMode,
    true,
  );
  const out = backend.makeOutput(a.inputShape, 'float32');
  const dx = backend.typedArrayFromHeap(out) as Float32Array;
  dx.fill(0);
  const dyv = backend.typedArrayFromHeap(dy) as Float32Array;
  const fv = backend.typedArrayFromHeap(filter) as Float32Array;
  depthwiseBackpropInputLoops(dyv, fv, g, dx);
  return out;
}

/** DepthwiseConv2dNativeBackpropFilter for wasm (missing in 4.22). */
export const depthwiseBackpropFilterWasmConfig: KernelConfig = {
  kernelName: DepthwiseConv2dNativeBackpropFilter,
  backendName: 'wasm',
  kernelFunc: backpropFilter as unknown as KernelFunc,
};

/** DepthwiseConv2dNativeBackpropInput for wasm (missing in 4.22). */
export const depthwiseBackpropInputWasmConfig: KernelConfig = {
  kernelName: DepthwiseConv2dNativeBackpropInput,
  backendName: 'wasm',
  kernelFunc: backpropInput as unknown as KernelFunc,
};
