import { conv2dCases } from './conv-cases.spec-helper';
import { conv2DBackpropFilterCpuConfig } from './conv2d-backprop-filter-cpu';
import { describeAgainstStockCpu } from './grad-check.spec-helper';

describeAgainstStockCpu(
  `${conv2DBackpropFilterCpuConfig.kernelName} on cpu`,
  'cpu',
  conv2dCases(31337, 40),
  [1],
  1e-5,
);
