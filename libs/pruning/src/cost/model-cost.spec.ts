import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
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

  it('counts the DESIGN.md reference model as deployed', () => {
    const conv = (filters: number, first = false) =>
      tfl.layers.conv2d({
        filters,
        kernelSize: 3,
        padding: 'same',
        ...(first ? { inputShape: [28, 28, 1] } : {}),
      });
    const block = (filters: number, first = false) => [
      conv(filters, first),
      tfl.layers.batchNormalization(),
      tfl.layers.reLU(),
      tfl.layers.maxPooling2d({ poolSize: 2 }),
    ];
    const model = tfl.sequential({
      layers: [
        ...block(32, true),
        ...block(64),
        ...block(128),
        tfl.layers.flatten(),
        tfl.layers.dense({ units: 128, activation: 'relu' }),
        tfl.layers.dropout({ rate: 0.25 }),
        tfl.layers.dense({ units: 10 }),
      ],
    });
    const kernels = [9 * 1 * 32, 9 * 32 * 64, 9 * 64 * 128, 1152 * 128, 128 * 10];
    const biases = [32, 64, 128, 128, 10];
    const positions = [28 * 28, 14 * 14, 7 * 7, 1, 1];
    const sum = (v: number[]) => v.reduce((a, b) => a + b, 0);
    expect(countParams(model)).toBe(sum(kernels) + sum(biases));
    expect(countMacs(model)).toBe(sum(kernels.map((k, i) => k * positions[i])));
    model.dispose();
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
