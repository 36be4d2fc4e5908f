/** Shared `prepare` of MAX_POOL_2D and AVERAGE_POOL_2D (TFLM pooling_common.cc). */
import { checkArity, checkRank, checkType, input, options, perTensorQuant } from './kernel-checks';
import type { KernelContext } from './kernel';
import { windowGeometry, type WindowGeometry } from './conv-window';
import { floatActivationRange, quantizedActivationRange } from './quant-params';

/** Geometry plus the activation clamp, in output codes (int8) or real values (float32). */
export interface PoolData extends WindowGeometry {
  float: boolean;
  actMin: number;
  actMax: number;
}

/** Validates a 2-D pool and computes its window geometry and clamp. */
export function preparePool(ctx: KernelContext): PoolData {
  checkArity(ctx, 1, 1);
  const o = options(ctx, 'Pool2DOptions');
  const x = input(ctx, 0, 'input');
  const out = ctx.outputs[0];
  checkType(ctx, x, 'input', ['INT8', 'FLOAT32']);
  checkType(ctx, out, 'output', [x.type]);
  checkRank(ctx, x, 'input', 4);
  checkRank(ctx, out, 'output', 4);
  const geometry = windowGeometry(ctx, x, out, o.filterHeight, o.filterWidth, o);
  if (x.type === 'FLOAT32') {
    return { ...geometry, float: true, ...rangeOf(floatActivationRange(ctx, o.fusedActivation)) };
  }
  const outQ = perTensorQuant(ctx, out, 'output');
  const range = quantizedActivationRange(ctx, o.fusedActivation, out.type, outQ.scale, outQ.zeroPoint);
  return { ...geometry, float: false, ...rangeOf(range) };
}

function rangeOf(r: { min: number; max: number }): { actMin: number; actMax: number } {
  return { actMin: r.min, actMax: r.max };
}

/** Calls `visit(yIndex, xBase, fy0, fy1, fx0, fx1)` for every output pixel, with the window clipped to the image. */
export function forEachWindow(
  d: WindowGeometry,
  visit: (
    outBase: number,
    rowBase: number,
    fy0: number,
    fy1: number,
    fx0: number,
    fx1: number,
    ix0: number,
  ) => void,
): void {
  for (let b = 0; b < d.batches; b++) {
    for (let oy = 0; oy < d.outHeight; oy++) {
      const iy0 = oy * d.strideH - d.padH;
      const fy0 = Math.max(0, -iy0);
      const fy1 = Math.min(d.filterHeight, d.inHeight - iy0);
      for (let ox = 0; ox < d.outWidth; ox++) {
        const ix0 = ox * d.strideW - d.padW;
        const fx0 = Math.max(0, -ix0);
        const fx1 = Math.min(d.filterWidth, d.inWidth - ix0);
        visit(
          ((b * d.outHeight + oy) * d.outWidth + ox) * d.outDepth,
          (b * d.inHeight + iy0) * d.inWidth,
          fy0,
          fy1,
          fx0,
          fx1,
          ix0,
        );
      }
    }
  }
}
