import {
  Conv2DBackpropInput,
  util,
  type Conv2DBackpropInputAttrs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { assertFloat32, convGeometry, type WindowGeometry } from './conv-geometry';

const OP = 'Conv2DBackpropInput (cpu)';

/**
 * dx[n,ih,iw,ci] += sum over co of W[kh,kw,ci,co] * dy[n,oh,ow,co], scattered per output
 * pixel: the inner loop is a dot product over contiguous filter and dy rows.
 */
export function conv2dBackpropInputLoops(
  dy: Float32Array,
  w: Float32Array,
  g: WindowGeometry,
  dx: Float32Array,
): Float32Array {
  const { inHeight: H, inWidth: W, inChannels: Ci, outChannels: Co, outHeight: Ho, outWidth: Wo } = g;
  const { filterHeight: KH, filterWidth: KW, strideHeight: sH, strideWidth: sW, padTop, padLeft } = g;
  for (let n = 0; n < g.batch; n++) {
    for (let oh = 0; oh < Ho; oh++) {
      for (let ow = 0; ow < Wo; ow++) {
        const dyBase = ((n * Ho + oh) * Wo + ow) * Co;
        for (let kh = 0; kh < KH; kh++) {
          const ih = oh * sH + kh - padTop;
          if (ih < 0 || ih >= H) continue;
          for (let kw = 0; kw < KW; kw++) {
            const iw = ow * sW + kw - padLeft;
            if (iw < 0 || iw >= W) continue;
            const xBase = ((n * H + ih) * W + iw) * Ci;
            let wBase = (kh * KW + kw) * Ci * Co;
            for (let ci = 0; ci < Ci; ci++, wBase += Co) {
              let acc = 0;
              for (let co = 0; co < Co; co++) acc += w[wBase + co] * dy[dyBase + co];
              dx[xBase + ci] += acc;
            }
          }
        }
      }
    }
  }
  return dx;
}

function conv2DBackpropInputCpu(args: Parameters<KernelFunc>[0]): TensorInfo {
  const backend = args.backend as MathBackendCPU;
  const { dy, filter } = args.inputs as { dy: TensorInfo; filter: TensorInfo };
  const a = args.attrs as unknown as Conv2DBackpropInputAttrs;
  assertFloat32(OP, dy.dtype, filter.dtype);
  const g = convGeometry(
    OP,
    a.inputShape,
    filter.shape,
    a.strides,
    1,
    a.pad,
    a.dimRoundingMode,
    false,
    a.dataFormat,
  );
  const dx = new Float32Array(util.sizeFromShape(a.inputShape));
  conv2dBackpropInputLoops(
    backend.readSync(dy.dataId) as Float32Array,
    backend.readSync(filter.dataId) as Float32Array,
    g,
    dx,
  );
  return backend.makeTensorInfo(a.inputShape, 'float32', dx);
}

/** Replaces stock cpu Conv2DBackpropInput (TensorBuffer access per element) with typed-array loops. */
export const conv2DBackpropInputCpuConfig: KernelConfig = {
  kernelName: Conv2DBackpropInput,
  backendName: 'cpu',
  kernelFunc: conv2DBackpropInputCpu as unknown as KernelFunc,
};
