import { describeAgainstStockCpu } from './grad-check.spec-helper';
import { maxPoolCases } from './conv-cases.spec-helper';
import { maxPoolGradWasmConfig } from './max-pool-grad-wasm';

describeAgainstStockCpu(
  `${maxPoolGradWasmConfig.kernelName} on wasm`,
  'wasm',
  [...maxPoolCases(8, 20, false), ...maxPoolCases(9, 20, true)],
  [0],
  1e-6,
);
