/** DEQUANTIZE: int8 -> float32 as TFLM reference_ops::Dequantize, (q - zero_point) * scale in double, stored as float. */
import { check, checkArity, checkSupported, flatSize, input, perTensorQuant } from './kernel-checks';
import type { Kernel, KernelContext } from './kernel';

interface DequantizeData {
  scale: number;
  zeroPoint: number;
}

function prepare(ctx: KernelContext): DequantizeData {
  checkArity(ctx, 1, 1);
  const x = input(ctx, 0, 'input');
  const out = ctx.outputs[0];
  checkSupported(
    ctx,
    (x.type === 'INT8' || x.type === 'UINT8' || x.type === 'INT16') && out.type === 'FLOAT32',
    () => `supports int8, uint8 or int16 -> float32, got ${x.type} -> ${out.type}`,
  );
  check(ctx, flatSize(x.shape) === flatSize(out.shape), () => 'input and output sizes differ');
  return perTensorQuant(ctx, x, 'input');
}

function evalDequantize(ctx: KernelContext, d: DequantizeData): void {
  const x = ctx.inputs[0]!.data;
  const y = ctx.outputs[0].data;
  for (let i = 0; i < x.length; i++) y[i] = d.scale * (x[i] - d.zeroPoint);
}

/** DEQUANTIZE kernel. */
export const dequantizeKernel: Kernel<DequantizeData> = { name: 'DEQUANTIZE', prepare, eval: evalDequantize };
