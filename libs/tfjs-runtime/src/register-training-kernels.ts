// The stock backends must register their kernels before we replace some of them; a later
// stock registration would silently overwrite ours.
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
// tfjs-core's CommonJS bundle carries no gradient functions; tfjs-layers' bundle registers
// them all in the shared global registry, and training needs them even without layers.
import '@tensorflow/tfjs-layers';
import { getKernel, registerKernel, type KernelConfig } from '@tensorflow/tfjs-core';
import { batchMatMulWasmConfig } from './kernels/batch-mat-mul-wasm';
import { conv2DBackpropFilterCpuConfig } from './kernels/conv2d-backprop-filter-cpu';
import { conv2DBackpropFilterWasmConfig } from './kernels/conv2d-backprop-filter-wasm';
import { conv2DBackpropInputWasmConfig } from './kernels/conv2d-backprop-input-wasm';
import {
  depthwiseBackpropFilterWasmConfig,
  depthwiseBackpropInputWasmConfig,
} from './kernels/depthwise-grads-wasm';
import {
  leadingMeanCpuConfig,
  leadingMeanWasmConfig,
  leadingSumCpuConfig,
  leadingSumWasmConfig,
} from './kernels/leading-axes-reduce';
import { conv2DBackpropInputCpuConfig } from './kernels/conv2d-backprop-input-cpu';
import { identityWasmConfig } from './kernels/identity-wasm';
import { maxPoolGradCpuConfig } from './kernels/max-pool-grad-cpu';
import { maxPoolGradWasmConfig } from './kernels/max-pool-grad-wasm';
import { tileWasmConfig } from './kernels/tile-wasm';
import { replaceKernel } from './stock-kernels';

/** Gradients wasm 4.22 lacks; added only where missing, so a future tfjs that ships them wins. */
const WASM_ADDITIONS: readonly KernelConfig[] = [
  conv2DBackpropFilterWasmConfig,
  depthwiseBackpropFilterWasmConfig,
  depthwiseBackpropInputWasmConfig,
];

/**
 * Stock wasm kernels that exist but run as naive loops and dominated a training step of the
 * reference model (Conv2DBackpropInput ~1/3 of it; Tile, Sum and Mean from the batch-norm
 * gradient ~1/3; MaxPoolGrad ~7%; Identity copies ~4%; transposed BatchMatMul
 * ~10%). The replacements fall back to stock for cases they do not cover.
 */
const WASM_REPLACEMENTS: readonly KernelConfig[] = [
  conv2DBackpropInputWasmConfig,
  maxPoolGradWasmConfig,
  tileWasmConfig,
  leadingSumWasmConfig,
  leadingMeanWasmConfig,
  identityWasmConfig,
  batchMatMulWasmConfig,
];

/**
 * Stock cpu kernels so slow that an epoch took hours: the two backprop convolutions and
 * MaxPoolGrad read every element through TensorBuffer.get, and Sum/Mean over N,H,W transpose
 * the whole activation first.
 */
const CPU_REPLACEMENTS: readonly KernelConfig[] = [
  conv2DBackpropFilterCpuConfig,
  conv2DBackpropInputCpuConfig,
  maxPoolGradCpuConfig,
  leadingSumCpuConfig,
  leadingMeanCpuConfig,
];

let registered = false;

/** Registers fleetprune's training kernels on the wasm and cpu backends (idempotent). */
export function registerTrainingKernels(): void {
  if (registered) return;
  registered = true;
  for (const config of WASM_ADDITIONS) {
    if (getKernel(config.kernelName, config.backendName) === undefined) registerKernel(config);
  }
  for (const config of [...WASM_REPLACEMENTS, ...CPU_REPLACEMENTS]) replaceKernel(config);
}
