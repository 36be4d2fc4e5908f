import { depthwiseCases } from './conv-cases.spec-helper';
import { depthwiseBackpropFilterWasmConfig, depthwiseBackpropInputWasmConfig } from './depthwise-grads-wasm';
import { describeAgainstStockCpu } from './grad-check.spec-helper';

describeAgainstStockCpu(
  `${depthwiseBackpropInputWasmConfig.kernelName} and ${depthwiseBackpropFilterWasmConfig.kernelName} on wasm`,
  'wasm',
  depthwiseCases(77, 40),
  [0, 1],
  1e-4,
);
