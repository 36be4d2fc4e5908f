import { getKernel, registerKernel, unregisterKernel, type KernelConfig } from '@tensorflow/tfjs-core';
import { TfjsRuntimeError } from './tfjs-runtime-error';

const stock = new Map<string, KernelConfig>();

/**
 * Installs `config` in place of the backend's own kernel, remembering the original so a
 * replacement can hand it cases it does not speed up, and tests can use it as the oracle.
 */
export function replaceKernel(config: KernelConfig): void {
  const original = getKernel(config.kernelName, config.backendName);
  if (original === undefined) {
    registerKernel(config);
    return;
  }
  stock.set(`${config.backendName}/${config.kernelName}`, original);
  unregisterKernel(config.kernelName, config.backendName);
  // The backend runs setup functions of registered kernels when it initialises; keep the
  // original's (wasm binds its C++ entry point there) so falling back to it still works.
  const setups = [original.setupFunc, config.setupFunc].filter((f) => f !== undefined);
  registerKernel({ ...config, setupFunc: (backend) => setups.forEach((setup) => setup(backend)) });
}

/** The stock kernel a replacement displaced; undefined if none was displaced. */
export function stockKernel(kernelName: string, backendName: string): KernelConfig | undefined {
  return stock.get(`${backendName}/${kernelName}`);
}

/** The displaced stock kernel a replacement falls back to; a typed error if there is none. */
export function requireStockKernel(kernelName: string, backendName: string): KernelConfig {
  const kernel = stockKernel(kernelName, backendName);
  if (kernel === undefined)
    throw new TfjsRuntimeError(
      'KERNEL_MISSING',
      `${kernelName} on ${backendName} needs the stock kernel; import @tensorflow/tfjs-backend-${backendName} first.`,
    );
  return kernel;
}
