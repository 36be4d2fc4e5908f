import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { loadFashionMnist } from '@fleetprune/datasets';
import { registerTrainingKernels } from './register-training-kernels';
import { useInstalledWasmBinaries } from './wasm-binaries';

const IMAGES = 192;

function fashionBatch(): { x: tf.Tensor4D; y: tf.Tensor2D } {
  const { train } = loadFashionMnist();
  const pixels = Float32Array.from(train.images.subarray(0, IMAGES * 784), (v) => v / 255);
  return {
    x: tf.tensor4d(pixels, [IMAGES, 28, 28, 1]),
    y: tf.oneHot(tf.tensor1d(Array.from(train.labels.subarray(0, IMAGES)), 'int32'), 10) as tf.Tensor2D,
  };
}

/** The reference model in miniature (same layer kinds, fewer filters); `depthwise` adds a depthwise conv. */
function tinyModel(depthwise: boolean): tfl.Sequential {
  const m = tfl.sequential();
  m.add(tfl.layers.conv2d({ inputShape: [28, 28, 1], filters: 8, kernelSize: 3, padding: 'same' }));
  m.add(tfl.layers.batchNormalization());
  m.add(tfl.layers.reLU());
  m.add(tfl.layers.maxPooling2d({ poolSize: 2 }));
  if (depthwise)
    m.add(tfl.layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, strides: 2, padding: 'same' }));
  m.add(tfl.layers.conv2d({ filters: 16, kernelSize: 3, padding: 'same' }));
  m.add(tfl.layers.batchNormalization());
  m.add(tfl.layers.reLU());
  m.add(tfl.layers.maxPooling2d({ poolSize: 2 }));
  m.add(tfl.layers.flatten());
  m.add(tfl.layers.dense({ units: 32, activation: 'relu' }));
  m.add(tfl.layers.dropout({ rate: 0.25 }));
  m.add(tfl.layers.dense({ units: 10, activation: 'softmax' }));
  m.compile({ optimizer: tf.train.adam(3e-3), loss: 'categoricalCrossentropy' });
  return m;
}

describe(registerTrainingKernels.name, () => {
  beforeAll(async () => {
    useInstalledWasmBinaries();
    registerTrainingKernels();
    expect(await tf.setBackend('wasm')).toBe(true);
  }, 60_000);

  it('adds the gradients stock wasm lacks, once', () => {
    const names = [
      'Conv2DBackpropFilter',
      'DepthwiseConv2dNativeBackpropFilter',
      'DepthwiseConv2dNativeBackpropInput',
    ];
    const before = names.map((n) => tf.getKernel(n, 'wasm'));
    expect(before.every((k) => k !== undefined)).toBe(true);
    registerTrainingKernels();
    expect(names.map((n) => tf.getKernel(n, 'wasm'))).toEqual(before);
  });

  it.each([
    ['the reference layer kinds', false],
    ['a depthwise conv layer', true],
  ])(
    'trains a tiny Fashion-MNIST model with %s on wasm: loss falls',
    async (_label, depthwise) => {
      const { x, y } = fashionBatch();
      const model = tinyModel(depthwise);
      const history = await model.fit(x, y, { epochs: 5, batchSize: 64, shuffle: false, verbose: 0 });
      const losses = history.history.loss as number[];
      expect(losses.every(Number.isFinite)).toBe(true);
      expect(losses[losses.length - 1]).toBeLessThan(losses[0] * 0.7);
      tf.dispose([x, y]);
      model.dispose();
    },
    60_000,
  );
});
