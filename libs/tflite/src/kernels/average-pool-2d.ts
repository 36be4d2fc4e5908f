/**
 * AVERAGE_POOL_2D: TFLM reference_integer_ops::AveragePool (int8: int32 sum over the part of the
 * window inside the image, divided with rounding half away from zero) and the float32 version.
 */
import type { Kernel, KernelContext } from './kernel';
import { forEachWindow, preparePool, type PoolData } from './pool-2d';

function evalAveragePool(ctx: KernelContext, d: PoolData): void {
  const x = ctx.inputs[0]!.data;
  const y = ctx.outputs[0].data;
  const depth = d.outDepth;
  const float = d.float;
  forEachWindow(d, (outBase, rowBase, fy0, fy1, fx0, fx1, ix0) => {
    const count = (fy1 - fy0) * (fx1 - fx0);
    for (let c = 0; c < depth; c++) {
      let acc = 0;
      for (let fy = fy0; fy < fy1; fy++) {
        for (let fx = fx0; fx < fx1; fx++) {
          const v = x[(rowBase + fy * d.inWidth + ix0 + fx) * depth + c];
          acc = float ? Math.fround(acc + v) : acc + v;
        }
      }
      let avg: number;
      if (float) avg = Math.fround(acc / count);
      else {
        const half = Math.trunc(count / 2);
        avg = acc > 0 ? Math.trunc((acc + half) / count) : Math.trunc((acc - half) / count);
      }
      y[outBase + c] = avg < d.actMin ? d.actMin : avg > d.actMax ? d.actMax : avg;
    }
  });
}

/** AVERAGE_POOL_2D kernel (int8 or float32). */
export const averagePool2dKernel: Kernel<PoolData> = {
  name: 'AVERAGE_POOL_2D',
  prepare: preparePool,
  eval: evalAveragePool,
};
