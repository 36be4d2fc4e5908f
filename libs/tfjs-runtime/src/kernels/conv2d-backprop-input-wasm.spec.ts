import { conv2dCase, conv2dCases } from './conv-cases.spec-helper';
import { conv2DBackpropInputWasmConfig } from './conv2d-backprop-input-wasm';
import { describeAgainstStockCpu, seeded, type GradCase } from './grad-check.spec-helper';

const next = seeded(5);
// Explicit pads larger than the filter take the spread-dy path with negative offsets.
const edge = [
  conv2dCase(next, [2, 10, 10, 16], [3, 3, 16, 32], 1, 'same'),
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
  `${conv2DBackpropInputWasmConfig.kernelName} on wasm`,
  'wasm',
  [...conv2dCases(99, 40), ...edge.filter((c): c is GradCase => c !== undefined)],
  [0],
  1e-4,
);
