import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { buildPruningGraph } from '../graph/build-pruning-graph';
import { pruneChannels } from '../surgery/prune-channels';
import { residualModel, sequentialCnn } from '../testing/tiny-models';
import { costForWidths, countMacs, countParams } from './model-cost';

describe(countParams.name, () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('folds BatchNorm into the conv before it and counts MACs per output position', () => {
    const model = sequentialCnn();
    // c1: 3*3*2*4 + 4 bias (bn1 folds); c2: 3*3*4*6 + 6 (bias from folded bn2);
    // d1: 24*5 + 5; out: 5*3 + 3.
    expect(countParams(model)).toBe(72 + 4 + 216 + 6 + 120 + 5 + 15 + 3);
    // c1 at 8x8 positions, c2 at 4x4, dense layers once.
    expect(countMacs(model)).toBe(72 * 64 + 216 * 16 + 120 + 15);
    expect(countParams(model)).toBeLessThan(model.countParams());
  });

  it('predicts the cost of a pruned model from group widths alone', () => {
    const model = residualModel();
    const graph = buildPruningGraph(model);
    const tied = [...graph.groups.values()].find((g) => g.producers.includes('b2'))?.id as string;
    const keep = new Map([
      [tied, [0, 2]],
      ['b1', [1, 2, 4]],
      ['pw', [3]],
    ]);
    const pruned = pruneChannels(model, keep, graph);
    const widths = new Map([...keep].map(([id, kept]) => [id, kept.length]));
    expect(costForWidths(graph, widths)).toEqual({ params: countParams(pruned), macs: countMacs(pruned) });
  });
});
