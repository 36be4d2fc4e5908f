import { conv2dCase, conv2dCases, takesPatchPath } from './conv-cases.spec-helper';
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
  // im2col path: a first layer over a grey image, and pads wider than the filter.
  conv2dCase(next, [2, 28, 28, 1], [3, 3, 1, 32], 1, 'same'),
  conv2dCase(
    next,
    [2, 7, 6, 1],
    [2, 2, 1, 4],
    [2, 1],
    [
      [0, 0],
      [3, 2],
      [0, 4],
      [0, 0],
    ],
  ),
];
const cases = [...conv2dCases(99, 40), ...edge.filter((c): c is GradCase => c !== undefined)];

describe('cases', () => {
  it('exercise both the convolution and the im2col path', () => {
    const patched = cases.filter(takesPatchPath).length;
    expect(patched).toBeGreaterThanOrEqual(5);
    expect(cases.length - patched).toBeGreaterThanOrEqual(5);
  });
});

describeAgainstStockCpu(`${conv2DBackpropInputWasmConfig.kernelName} on wasm`, 'wasm', cases, [0], 1e-4);
