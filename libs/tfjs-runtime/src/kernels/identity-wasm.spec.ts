import * as tf from '@tensorflow/tfjs-core';
import { registerTrainingKernels } from '../register-training-kernels';
import { useInstalledWasmBinaries } from '../wasm-binaries';

describe('Identity on wasm', () => {
  beforeAll(async () => {
    useInstalledWasmBinaries();
    registerTrainingKernels();
    expect(await tf.setBackend('wasm')).toBe(true);
  }, 60_000);

  it('shares the input memory instead of copying it, and keeps it alive for the copy', () => {
    const before = tf.memory().numDataBuffers;
    const x = tf.tensor2d([1, -2, 3.5, 4], [2, 2]);
    const y = tf.clone(x);
    expect(y.dataId).toBe(x.dataId);
    expect(tf.memory().numDataBuffers - before).toBe(1); // one buffer for both tensors
    x.dispose();
    expect(Array.from(y.dataSync())).toEqual([1, -2, 3.5, 4]);
    expect(y.shape).toEqual([2, 2]);
    y.dispose();
    expect(tf.memory().numDataBuffers).toBe(before);
  });

  it('still copies strings through the stock kernel', () => {
    const x = tf.tensor1d(['ota', 'model']);
    const y = tf.clone(x);
    x.dispose();
    expect(y.arraySync()).toEqual(['ota', 'model']);
    y.dispose();
  });

  it('carries gradients through unchanged', () => {
    const grad = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(tf.clone(v), v)));
    expect(Array.from(grad(tf.tensor1d([1, 2, 3])).dataSync())).toEqual([2, 4, 6]);
  });
});
