/** Maps builtin operator names to kernels; the one place that lists what the interpreter runs. */
import { TfliteError } from '../tflite-error';
import { addKernel } from './add';
import { averagePool2dKernel } from './average-pool-2d';
import { conv2dKernel } from './conv-2d';
import { depthwiseConv2dKernel } from './depthwise-conv-2d';
import { dequantizeKernel } from './dequantize';
import { fullyConnectedKernel } from './fully-connected';
import type { Kernel } from './kernel';
import { maxPool2dKernel } from './max-pool-2d';
import { meanKernel } from './mean';
import { quantizeKernel } from './quantize';
import { reshapeKernel } from './reshape';
import { softmaxKernel } from './softmax';

/** A kernel whose op data type is private to it. */
export type AnyKernel = Kernel<unknown>;

const KERNELS: ReadonlyMap<string, AnyKernel> = new Map<string, AnyKernel>(
  [
    addKernel,
    averagePool2dKernel,
    conv2dKernel,
    depthwiseConv2dKernel,
    dequantizeKernel,
    fullyConnectedKernel,
    maxPool2dKernel,
    meanKernel,
    quantizeKernel,
    reshapeKernel,
    softmaxKernel,
  ].map((k) => [k.name, k as AnyKernel]),
);

/** Builtin operator names the reference interpreter supports, sorted. */
export function supportedOps(): string[] {
  return [...KERNELS.keys()].sort();
}

/** The kernel for a builtin op; throws UNSUPPORTED_OP naming the supported ones. */
export function kernelFor(opName: string, opIndex: number): AnyKernel {
  const kernel = KERNELS.get(opName);
  if (!kernel) {
    throw new TfliteError(
      'UNSUPPORTED_OP',
      `${opName} (op ${opIndex}) is not supported by the reference interpreter; supported ops: ` +
        `${supportedOps().join(', ')}. Re-export the model using only these ops.`,
    );
  }
  return kernel;
}
