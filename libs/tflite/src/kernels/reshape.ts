/** RESHAPE: copies the data; the output shape is the model's (TFLM resolves it the same way). */
import { check, checkArity, flatSize, input } from './kernel-checks';
import type { Kernel, KernelContext } from './kernel';

function prepare(ctx: KernelContext): null {
  // The optional second input is the new shape; the output tensor already carries it.
  checkArity(ctx, 1, 1, 2);
  const x = input(ctx, 0, 'input');
  const out = ctx.outputs[0];
  check(ctx, x.type === out.type, () => `input type ${x.type} differs from output type ${out.type}`);
  check(
    ctx,
    flatSize(x.shape) === flatSize(out.shape),
    () => `cannot reshape [${x.shape.join(',')}] into [${out.shape.join(',')}]`,
  );
  return null;
}

function evalReshape(ctx: KernelContext): void {
  const y = ctx.outputs[0].data;
  const x = ctx.inputs[0]!.data;
  if (x !== y) y.set(x);
}

/** RESHAPE kernel (any element type). */
export const reshapeKernel: Kernel<null> = { name: 'RESHAPE', prepare, eval: evalReshape };
