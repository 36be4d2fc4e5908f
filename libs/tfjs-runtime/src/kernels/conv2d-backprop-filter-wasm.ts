import {
  BatchMatMul,
  Conv2D,
  Conv2DBackpropFilter,
  Slice,
  Transpose,
  type Conv2DBackpropFilterAttrs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { assertFloat32, convGeometry, type WindowGeometry } from './conv-geometry';
import { convPatches, gradByPatches } from './conv-patches';
import { runWasmKernel } from './run-wasm-kernel';

const OP = 'Conv2DBackpropFilter (wasm)';

/**
 * dW[kh,kw,ci,co] = sum over n,oh,ow of x[n, oh*s+kh-pt, ow*s+kw-pl, ci] * dy[n,oh,ow,co].
 * Read with ci as the batch and n as the reduced channel, that is a stride-1 convolution of
 * x^T [Ci,H,W,N] with dy^T [Ho,Wo,N,Co] whose filter taps are spaced by the forward stride
 * (dilation = stride). Its output [Ci,KH,KW,Co] transposes back to the filter layout.
 */
function conv2DBackpropFilterWasm(args: Parameters<KernelFunc>[0]): TensorInfo {
  const backend = args.backend as BackendWasm;
  const { x, dy } = args.inputs as { x: TensorInfo; dy: TensorInfo };
  const attrs = args.attrs as unknown as Conv2DBackpropFilterAttrs;
  assertFloat32(OP, x.dtype, dy.dtype);
  const g = convGeometry(
    OP,
    x.shape,
    attrs.filterShape,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    attrs.dataFormat,
  );
  if (gradByPatches(g)) return filterGradByPatches(backend, x, dy, g, attrs.filterShape);
  // Padded extent the windows actually touch; rows/cols beyond it (valid padding with a
  // stride that does not divide evenly) are cropped because convolutions cannot pad negatively.
  const spanH = (g.outHeight - 1) * g.strideHeight + g.filterHeight;
  const spanW = (g.outWidth - 1) * g.strideWidth + g.filterWidth;
  const padBottom = spanH - g.padTop - g.inHeight;
  const padRight = spanW - g.padLeft - g.inWidth;
  const temps: TensorInfo[] = [];
  let xUsed = x;
  if (padBottom < 0 || padRight < 0) {
    const size = [
      g.batch,
      g.inHeight + Math.min(padBottom, 0),
      g.inWidth + Math.min(padRight, 0),
      g.inChannels,
    ];
    xUsed = runWasmKernel(Slice, backend, { x }, { begin: [0, 0, 0, 0], size });
    temps.push(xUsed);
  }
  const xT = runWasmKernel(Transpose, backend, { x: xUsed }, { perm: [3, 1, 2, 0] });
  const dyT = runWasmKernel(Transpose, backend, { x: dy }, { perm: [1, 2, 0, 3] });
  temps.push(xT, dyT);
  const pad = [
    [0, 0],
    [g.padTop, Math.max(padBottom, 0)],
    [g.padLeft, Math.max(padRight, 0)],
    [0, 0],
  ];
  const dilations = [g.strideHeight, g.strideWidth];
  const conv = runWasmKernel(
    Conv2D,
    backend,
    { x: xT, filter: dyT },
    { strides: 1, pad, dilations, dataFormat: 'NHWC' },
  );
  temps.push(conv);
  const dw = runWasmKernel(Transpose, backend, { x: conv }, { perm: [1, 2, 0, 3] });
  for (const t of temps) backend.disposeData(t.dataId);
  return dw;
}

/**
 * dW = im2col(x)^T dy (see gradByPatches for when), computed as dy^T [Co, P] x patches
 * [P, taps] so that the GEMM packs the small patch matrix, then transposed back to
 * [KH, KW, Ci, Co]. The reference model's first layer: 48 -> 39 ms a batch of 128.
 */
function filterGradByPatches(
  backend: BackendWasm,
  x: TensorInfo,
  dy: TensorInfo,
  g: WindowGeometry,
  filterShape: number[],
): TensorInfo {
  const pixels = g.batch * g.outHeight * g.outWidth;
  const taps = g.filterHeight * g.filterWidth * g.inChannels;
  // Allocate before taking heap views: growing the heap detaches views taken earlier.
  const patches = backend.makeOutput([1, pixels, taps], 'float32');
  convPatches(
    backend.typedArrayFromHeap(x) as Float32Array,
    g,
    backend.typedArrayFromHeap(patches) as Float32Array,
  );
  const dy2 = { dataId: dy.dataId, shape: [pixels, g.outChannels], dtype: 'float32' as const };
  const dyT = runWasmKernel(Transpose, backend, { x: dy2 }, { perm: [1, 0] });
  const dyT3 = { ...dyT, shape: [1, g.outChannels, pixels] };
  const product = runWasmKernel(
    BatchMatMul,
    backend,
    { a: dyT3, b: patches },
    { transposeA: false, transposeB: false },
  );
  const product2 = { ...product, shape: [g.outChannels, taps] };
  const dw = runWasmKernel(Transpose, backend, { x: product2 }, { perm: [1, 0] });
  for (const t of [patches, dyT, product]) backend.disposeData(t.dataId);
  return { ...dw, shape: filterShape };
}

/** Conv2DBackpropFilter for the wasm backend, which 4.22 lacks, built from wasm Transpose + Conv2D. */
export const conv2DBackpropFilterWasmConfig: KernelConfig = {
  kernelName: Conv2DBackpropFilter,
  backendName: 'wasm',
  kernelFunc: conv2DBackpropFilterWasm as unknown as KernelFunc,
};
