/** MAX_POOL_2D: TFLM reference_integer_ops::MaxPool (int8) and reference_ops::MaxPool (float32). */
import type { Kernel, KernelContext } from './kernel';
import { forEachWindow, preparePool, type PoolData } from './pool-2d';

function evalMaxPool(ctx: KernelContext, d: PoolData): void {
  const x = ctx.inputs[0]!.data;
  const y = ctx.outputs[0].data;
  const depth = d.outDepth;
  const lowest = d.float ? -3.4028234663852886e38 : -128;
  forEachWindow(d, (outBase, rowBase, fy0, fy1, fx0, fx1, ix0) => {
    for (let c = 0; c < depth; c++) {
      let max = lowest;
      for (let fy = fy0; fy < fy1; fy++) {
        for (let fx = fx0; fx < fx1; fx++) {
          const v = x[(rowBase + fy * d.inWidth + ix0 + fx) * depth + c];
          if (v > max) max = v;
        }
      }
      y[outBase + c] = max < d.actMin ? d.actMin : max > d.actMax ? d.actMax : max;
    }
  });
}

/** MAX_POOL_2D kernel (int8 or float32). */
export const maxPool2dKernel: Kernel<PoolData> = {
  name: 'MAX_POOL_2D',
  prepare: preparePool,
  eval: evalMaxPool,
};
