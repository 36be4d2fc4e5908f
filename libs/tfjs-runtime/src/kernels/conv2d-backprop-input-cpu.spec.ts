import { conv2dCase, conv2dCases } from './conv-cases.spec-helper';
import { conv2DBackpropInputCpuConfig } from './conv2d-backprop-input-cpu';
import { describeAgainstStockCpu, seeded, type GradCase } from './grad-check.spec-helper';

const next = seeded(6);
const edge = [
  conv2dCase(
    next,
    [2, 7, 6, 3],
    [2, 2, 3, 4],
    [2, 2],
    [
      [0, 0],
      [3, 2],
      [4, 0],
      [0, 0],
    ],
  ),
  conv2dCase(next, [2, 8, 8, 3], [3, 3, 3, 4], 1, [
    [0, 0],
    [4, 1],
    [0, 5],
    [0, 0],
  ]),
];

describeAgainstStockCpu(
  `${conv2DBackpropInputCpuConfig.kernelName} on cpu`,
  'cpu',
  [...conv2dCases(123, 40), ...edge.filter((c): c is GradCase => c !== undefined)],
  [0],
  1e-5,
);
