import { getKernel, type NamedAttrMap, type TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { TfjsRuntimeError } from '../tfjs-runtime-error';

/**
 * Runs a registered wasm kernel directly (no engine, no tape), so composite kernels keep the
 * heavy lifting in XNNPACK. The caller owns the result and must dispose it.
 */
export function runWasmKernel(
  name: string,
  backend: BackendWasm,
  inputs: Record<string, TensorInfo>,
  attrs: object,
): TensorInfo {
  const kernel = getKernel(name, 'wasm');
  if (kernel === undefined) {
    throw new TfjsRuntimeError(
      'KERNEL_MISSING',
      `wasm kernel ${name} is not registered; import @tensorflow/tfjs-backend-wasm.`,
    );
  }
  return kernel.kernelFunc({ inputs, backend, attrs: attrs as NamedAttrMap }) as TensorInfo;
}
