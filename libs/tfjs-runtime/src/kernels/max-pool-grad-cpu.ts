import {
  MaxPoolGrad,
  type KernelConfig,
  type KernelFunc,
  type MaxPoolGradAttrs,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { assertFloat32, poolGeometry, type WindowGeometry } from './conv-geometry';

const OP = 'MaxPoolGrad (cpu)';

/**
 * Routes each dy value to the first maximum of its window (row-major, strict `>`), the
 * same tie rule as stock tfjs so results are identical, not merely close. Per output pixel
 * it tracks the best value and position of all channels at once so every read of x is
 * contiguous.
 */
export function maxPoolGradLoops(
  x: Float32Array,
  dy: Float32Array,
  g: WindowGeometry,
  dx: Float32Array,
): Float32Array {
  const { inHeight: H, inWidth: W, inChannels: C, outHeight: Ho, outWidth: Wo } = g;
  const { filterHeight: KH, filterWidth: KW, strideHeight: sH, strideWidth: sW, padTop, padLeft } = g;
  const best = new Float32Array(C);
  const where = new Int32Array(C);
  for (let n = 0; n < g.batch; n++) {
    const xBatch = n * H * W * C;
    for (let oh = 0; oh < Ho; oh++) {
      const h0 = oh * sH - padTop;
      for (let ow = 0; ow < Wo; ow++) {
        const w0 = ow * sW - padLeft;
        best.fill(-Infinity);
        where.fill(-1);
        for (let ih = Math.max(h0, 0); ih < Math.min(h0 + KH, H); ih++) {
          for (let iw = Math.max(w0, 0); iw < Math.min(w0 + KW, W); iw++) {
            const base = xBatch + (ih * W + iw) * C;
            for (let c = 0; c < C; c++) {
              const v = x[base + c];
              if (v > best[c]) {
                best[c] = v;
                where[c] = base + c;
              }
            }
          }
        }
        const dyBase = ((n * Ho + oh) * Wo + ow) * C;
        for (let c = 0; c < C; c++) if (where[c] >= 0) dx[where[c]] += dy[dyBase + c];
      }
    }
  }
  return dx;
}

function maxPoolGradCpu(args: Parameters<KernelFunc>[0]): TensorInfo {
  const backend = args.backend as MathBackendCPU;
  const { dy, input } = args.inputs as { dy: TensorInfo; input: TensorInfo };
  const attrs = args.attrs as unknown as MaxPoolGradAttrs;
  assertFloat32(OP, dy.dtype, input.dtype);
  const g = poolGeometry(OP, input.shape, attrs.filterSize, attrs.strides, attrs.pad, attrs.dimRoundingMode);
  const dx = new Float32Array(input.shape.reduce((a, b) => a * b, 1));
  maxPoolGradLoops(
    backend.readSync(input.dataId) as Float32Array,
    backend.readSync(dy.dataId) as Float32Array,
    g,
    dx,
  );
  return backend.makeTensorInfo(input.shape, 'float32', dx);
}

/** Replaces stock cpu MaxPoolGrad (TensorBuffer get/set per element) with one pass over typed arrays. */
export const maxPoolGradCpuConfig: KernelConfig = {
  kernelName: MaxPoolGrad,
  backendName: 'cpu',
  kernelFunc: maxPoolGradCpu as unknown as KernelFunc,
};
