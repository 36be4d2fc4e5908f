import { describeAgainstStockCpu } from './grad-check.spec-helper';
import { maxPoolCases } from './conv-cases.spec-helper';
import { maxPoolGradCpuConfig } from './max-pool-grad-cpu';

// Tied maxima must route to the same element as stock, so the tolerance is rounding only.
describeAgainstStockCpu(
  `${maxPoolGradCpuConfig.kernelName} on cpu`,
  'cpu',
  [...maxPoolCases(3, 20, false), ...maxPoolCases(4, 20, true)],
  [0],
  1e-6,
);
