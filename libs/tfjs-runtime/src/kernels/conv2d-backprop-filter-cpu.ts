import {
  Conv2DBackpropFilter,
  type Conv2DBackpropFilterAttrs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { assertFloat32, convGeometry, type WindowGeometry } from './conv-geometry';

const OP = 'Conv2DBackpropFilter (cpu)';

/**
 * Accumulates dW[kh,kw,ci,co] += x[n,ih,iw,ci] * dy[n,oh,ow,co] over all windows.
 * Loop order keeps both inner reads contiguous: one dy pixel row (Co values) is reused
 * for every tap and input channel, and dW rows are walked sequentially.
 */
export function conv2dBackpropFilterLoops(
  x: Float32Array,
  dy: Float32Array,
  g: WindowGeometry,
  out: Float32Array,
): Float32Array {
  const { inHeight: H, inWidth: W, inChannels: Ci, outChannels: Co, outHeight: Ho, outWidth: Wo } = g;
  const { filterHeight: KH, filterWidth: KW, strideHeight: sH, strideWidth: sW, padTop, padLeft } = g;
  for (let n = 0; n < g.batch; n++) {
    const xBatch = n * H * W * Ci;
    for (let oh = 0; oh < Ho; oh++) {
      for (let ow = 0; ow < Wo; ow++) {
        const dyBase = ((n * Ho + oh) * Wo + ow) * Co;
        for (let kh = 0; kh < KH; kh++) {
          const ih = oh * sH + kh - padTop;
          if (ih < 0 || ih >= H) continue;
          for (let kw = 0; kw < KW; kw++) {
            const iw = ow * sW + kw - padLeft;
            if (iw < 0 || iw >= W) continue;
            const xBase = xBatch + (ih * W + iw) * Ci;
            let dwBase = (kh * KW + kw) * Ci * Co;
            for (let ci = 0; ci < Ci; ci++, dwBase += Co) {
              const xv = x[xBase + ci];
              if (xv === 0) continue; // ReLU/pool outputs are often zero: skip the whole row
              for (let co = 0; co < Co; co++) out[dwBase + co] += xv * dy[dyBase + co];
            }
          }
        }
      }
    }
  }
  return out;
}

function conv2DBackpropFilterCpu(args: Parameters<KernelFunc>[0]): TensorInfo {
  const backend = args.backend as MathBackendCPU;
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
  const out = new Float32Array(attrs.filterShape.reduce((a, b) => a * b, 1));
  const xv = backend.readSync(x.dataId) as Float32Array;
  const dyv = backend.readSync(dy.dataId) as Float32Array;
  conv2dBackpropFilterLoops(xv, dyv, g, out);
  return backend.makeTensorInfo(attrs.filterShape, 'float32', out);
}

/** Replaces stock cpu Conv2DBackpropFilter (per-element TensorBuffer access) with typed-array loops. */
export const conv2DBackpropFilterCpuConfig: KernelConfig = {
  kernelName: Conv2DBackpropFilter,
  backendName: 'cpu',
  kernelFunc: conv2DBackpropFilterCpu as unknown as KernelFunc,
};
