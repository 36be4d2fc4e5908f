import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { buildPruningGraph } from '../graph/build-pruning-graph';
import { maskChannels } from '../testing/mask-channels';
import { concatModel, randomInput, randomizeBatchNorms, residualModel } from '../testing/tiny-models';
import { forwardGraph } from './graph-forward';
import { createGates } from './layout-gate';

const maxDifference = (a: tf.Tensor, b: tf.Tensor) => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0];

describe(forwardGraph.name, () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('matches model.predict with open gates in inference mode', () => {
    const model = residualModel();
    randomizeBatchNorms(model, 1);
    const graph = buildPruningGraph(model);
    const x = randomInput([3, 6, 6, 3], 2);
    const gated = forwardGraph(model, graph, x, { gates: createGates(graph) });
    expect(maxDifference(gated, model.predict(x) as tf.Tensor)).toBeLessThan(1e-6);
  });

  it('computes the masked model when a gate is closed (concat + depth multiplier)', () => {
    const model = concatModel();
    randomizeBatchNorms(model, 4);
    const graph = buildPruningGraph(model);
    const gates = new Map([['q', tf.tensor1d([1, 0, 1, 1])]]);
    const masked = maskChannels(model, new Map([['q', [0, 2, 3]]]));
    const x = randomInput([3, 6, 6, 2], 5);
    expect(
      maxDifference(forwardGraph(model, graph, x, { gates }), masked.predict(x) as tf.Tensor),
    ).toBeLessThan(1e-5);
    // One gate row per sample: the first sample's row closes channel 1, the others stay open.
    const perSample = new Map([
      [
        'q',
        tf.tensor2d([
          [1, 0, 1, 1],
          [1, 1, 1, 1],
          [1, 1, 1, 1],
        ]),
      ],
    ]);
    const mixed = forwardGraph(model, graph, x, { gates: perSample });
    const first = tf.slice(x, [0], [1]);
    expect(maxDifference(tf.slice(mixed, [0], [1]), masked.predict(first) as tf.Tensor)).toBeLessThan(1e-5);
    const rest = tf.slice(x, [1], [2]);
    expect(maxDifference(tf.slice(mixed, [1], [2]), model.predict(rest) as tf.Tensor)).toBeLessThan(1e-5);
  });
});
