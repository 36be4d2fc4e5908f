import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '@fleetprune/tfjs-runtime';
import { buildPruningGraph } from '../graph/build-pruning-graph';
import { sequentialCnn } from '../testing/tiny-models';
import { pruneChannels } from './prune-channels';

describe(`${pruneChannels.name} on wasm`, () => {
  beforeAll(async () => {
    await selectBackend({ prefer: ['wasm'], log: () => undefined });
  });
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  // wasm's Gather hands back a reshaped rank-4 buffer; its fused Conv2D / MatMul kernels read
  // that buffer's rank and rejected every gathered bias ("only supports rank-1 bias").
  it('gives a pruned model whose fused conv and dense layers run', () => {
    const model = sequentialCnn();
    const graph = buildPruningGraph(model);
    const pruned = pruneChannels(
      model,
      new Map([
        ['c1', [0, 2]],
        ['d1', [1, 3, 4]],
      ]),
      graph,
    );
    const y = pruned.predict(tf.ones([2, 8, 8, 2])) as tf.Tensor;
    expect(y.shape).toEqual([2, 3]);
    expect(Array.from(y.dataSync()).every(Number.isFinite)).toBe(true);
    tf.dispose([y]);
    pruned.dispose();
    model.dispose();
  });
});
