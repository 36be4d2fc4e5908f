import { conv2dCase, conv2dCases, takesPatchPath } from './conv-cases.spec-helper';
import { conv2DBackpropFilterWasmConfig } from './conv2d-backprop-filter-wasm';
import { describeAgainstStockCpu, seeded, type GradCase } from './grad-check.spec-helper';

const cases = conv2dCases(20240611, 40);
// Wider channels, as in the reference model (kept small: stock cpu is the oracle and it is slow).
const next = seeded(11);
const wide = [
  conv2dCase(next, [2, 10, 10, 16], [3, 3, 16, 32], 1, 'same'),
  conv2dCase(next, [4, 9, 9, 16], [3, 3, 16, 8], 2, 'valid'),
  // A first layer over a grey image, and one over two channels with stride 2 (patch path).
  conv2dCase(next, [2, 28, 28, 1], [3, 3, 1, 32], 1, 'same'),
  conv2dCase(next, [3, 9, 9, 2], [3, 3, 2, 32], 2, 'valid'),
];

describe('cases', () => {
  it('span strides 1 and 2 and same/valid/explicit padding', () => {
    const labels = cases.map((c) => c.label).join('\n');
    for (const needle of ['s1,1', 's2,2', 's1,2', 's2,1', 'same', 'valid', 'pads'])
      expect(labels).toContain(needle);
  });

  it('exercise both the convolution and the im2col path', () => {
    const all = [...cases, ...wide.filter((c): c is GradCase => c !== undefined)];
    const patched = all.filter(takesPatchPath).length;
    expect(patched).toBeGreaterThanOrEqual(5);
    expect(all.length - patched).toBeGreaterThanOrEqual(5);
  });
});

describeAgainstStockCpu(
  `${conv2DBackpropFilterWasmConfig.kernelName} on wasm`,
  'wasm',
  [...cases, ...wide.filter((c): c is GradCase => c !== undefined)],
  [1],
  1e-4,
);
