import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { TfliteError } from '../tflite-error';
import { buildFloatGraph } from './build-float-graph';
import { runFloatGraph } from './run-float-graph';
import { smallSequentialCnn, tinyResidualCnn } from './quantizer-test-models.spec-helper';

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  return a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);
}

describe(buildFloatGraph.name, () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('folds BN and fuses activations without changing the functional model output', () => {
    const model = tinyResidualCnn();
    const graph = buildFloatGraph(model);
    expect(graph.ops.map((o) => o.kind)).toEqual([
      'conv2d',
      'depthwise',
      'add',
      'avgPool',
      'depthwise',
      'conv2d',
      'mean',
      'dense',
      'softmax',
    ]);
    const acts = graph.ops.map((o) => ('activation' in o ? o.activation : '-'));
    expect(acts).toEqual(['RELU', 'RELU6', 'NONE', '-', 'RELU', 'RELU', '-', 'NONE', '-']);
    const x = tf.randomUniform([8, 12, 12, 2], -1, 1, 'float32', 3);
    const expected = (model.predict(x) as tf.Tensor).dataSync() as Float32Array;
    const [actual] = runFloatGraph(graph, x);
    expect(maxAbsDiff(actual, expected)).toBeLessThan(1e-5);
    // The BN really changed something: unfolded weights would give a different answer.
    expect(Math.max(...expected)).toBeGreaterThan(0.2);
  });

  it('drops Dropout and turns Flatten into a reshape in a Sequential model', () => {
    const model = smallSequentialCnn([10, 10, 1], 3);
    const graph = buildFloatGraph(model);
    expect(graph.ops.map((o) => o.kind)).toEqual([
      'conv2d',
      'maxPool',
      'reshape',
      'dense',
      'dense',
      'softmax',
    ]);
    expect(graph.values[graph.ops[2].output].shape).toEqual([1, 200]);
    const x = tf.randomUniform([4, 10, 10, 1], 0, 1, 'float32', 5);
    const expected = (model.predict(x) as tf.Tensor).dataSync() as Float32Array;
    expect(maxAbsDiff(runFloatGraph(graph, x)[0], expected)).toBeLessThan(1e-5);
  });

  it('names the layer and the supported list for an unsupported layer', () => {
    const model = tfl.sequential({
      layers: [tfl.layers.upSampling2d({ inputShape: [4, 4, 1], name: 'up' }), tfl.layers.flatten()],
    });
    expect(() => buildFloatGraph(model)).toThrow(TfliteError);
    expect(() => buildFloatGraph(model)).toThrow(
      /layer 'up' \(UpSampling2D\).*Supported layers: InputLayer, Conv2D/,
    );
  });

  it('refuses a dilated DepthwiseConv2D, whose dilation TF.js Layers ignores', () => {
    const model = tfl.sequential({
      layers: [
        tfl.layers.depthwiseConv2d({ inputShape: [6, 6, 2], kernelSize: 3, dilationRate: 2, name: 'dw' }),
      ],
    });
    expect(() => buildFloatGraph(model)).toThrow(/layer 'dw' \(DepthwiseConv2D\) has dilationRate \[2,2\]/);
  });

  it('refuses a ReLU that has nothing to fuse into', () => {
    const model = tfl.sequential({
      layers: [
        tfl.layers.maxPooling2d({ inputShape: [4, 4, 1], poolSize: 2 }),
        tfl.layers.reLU({ name: 'late' }),
      ],
    });
    expect(() => buildFloatGraph(model)).toThrow(
      /layer 'late' \(ReLU\) applies relu where it cannot be fused/,
    );
  });
});
