import { Identity, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { requireStockKernel } from '../stock-kernels';

/**
 * Identity on wasm shares the input's memory, as the cpu backend's does and wasm's own
 * Reshape does: tensors are immutable, so the stock kernel's copy (ten copies of each
 * activation per training step of the reference model) buys nothing. Strings keep the stock path.
 */
function identityWasm(args: Parameters<KernelFunc>[0]): TensorInfo {
  const { x } = args.inputs as { x: TensorInfo };
  if (x.dtype === 'string') return requireStockKernel(Identity, 'wasm').kernelFunc(args) as TensorInfo;
  (args.backend as BackendWasm).incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}

/** Identity for wasm without the copy. */
export const identityWasmConfig: KernelConfig = {
  kernelName: Identity,
  backendName: 'wasm',
  kernelFunc: identityWasm as unknown as KernelFunc,
};
