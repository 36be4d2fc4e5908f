import * as tf from '@tensorflow/tfjs-core';
import { registerTrainingKernels } from '../register-training-kernels';
import { useInstalledWasmBinaries } from '../wasm-binaries';
import { conv2dCases } from './conv-cases.spec-helper';
import { conv2DBackpropFilterWasmConfig } from './conv2d-backprop-filter-wasm';
import { gradients, relativeError } from './grad-check.spec-helper';

// Oracle: the same gradients on the stock cpu backend, computed before our kernels exist.
const cases = conv2dCases(20240611, 40);
const refModelLike = conv2dCases(7, 200)
  .filter((c) => c.inputs[0].shape[3] === 8)
  .slice(0, 4);
const all = [...cases, ...refModelLike];
let expected: Float32Array[][] = [];

describe(`${conv2DBackpropFilterWasmConfig.kernelName} on wasm`, () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
    expected = all.map((c) => gradients(c));
    useInstalledWasmBinaries();
    registerTrainingKernels();
    expect(await tf.setBackend('wasm')).toBe(true);
  });

  it('generated a spread of strides and paddings', () => {
    const labels = all.map((c) => c.label).join('\n');
    for (const needle of ['s1,1', 's2,2', 's1,2', 'same', 'valid', 'pads']) expect(labels).toContain(needle);
  });

  it.each(all.map((c, i) => [c.label, i] as const))('matches stock cpu gradients: %s', (_label, i) => {
    const [dx, dw] = gradients(all[i]);
    expect(relativeError(dw, expected[i][1])).toBeLessThan(1e-4);
    expect(relativeError(dx, expected[i][0])).toBeLessThan(1e-4);
  });

  it('leaks no tensors on the wasm heap', () => {
    const before = tf.memory().numTensors;
    const bytesBefore = tf.engine().backend.numDataIds();
    gradients(all[0]);
    expect(tf.memory().numTensors).toBe(before);
    expect(tf.engine().backend.numDataIds()).toBe(bytesBefore);
  });
});
