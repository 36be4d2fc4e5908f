import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import type * as tfl from '@tensorflow/tfjs-layers';
import { buildPruningGraph } from '../graph/build-pruning-graph';
import { KeepMap } from '../graph/pruning-graph';
import { PruningError } from '../pruning-error';
import { Rng, seededRng } from '../seeded-rng';
import { maskChannels } from '../testing/mask-channels';
import {
  concatModel,
  randomInput,
  randomizeBatchNorms,
  residualModel,
  sequentialCnn,
} from '../testing/tiny-models';
import { pruneChannels } from './prune-channels';

function randomKeep(model: tfl.LayersModel, rng: Rng): Map<string, number[]> {
  const keep = new Map<string, number[]>();
  for (const g of buildPruningGraph(model).groups.values()) {
    if (!g.prunable) continue;
    const kept = Array.from({ length: g.size }, (_, i) => i).filter(() => rng() < 0.6);
    keep.set(g.id, kept.length > 0 ? kept : [g.size - 1]);
  }
  return keep;
}

function maxDifference(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
}

describe(pruneChannels.name, () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  const cases: [string, () => tfl.LayersModel, number[]][] = [
    ['a Sequential CNN', sequentialCnn, [4, 8, 8, 2]],
    ['a residual model with Add and depthwise', residualModel, [4, 6, 6, 3]],
    ['a Concatenate model with depth multiplier 2', concatModel, [4, 6, 6, 2]],
  ];

  it.each(cases)('matches the masked original on %s', (_name, build, inputShape) => {
    const rng = seededRng(7);
    let maskingEffect = 0;
    for (let trial = 0; trial < 3; trial++) {
      const model = build();
      randomizeBatchNorms(model, 11 + trial);
      const keep = randomKeep(model, rng);
      const pruned = pruneChannels(model, keep);
      const masked = maskChannels(model, keep);
      const x = randomInput(inputShape, 5 + trial);
      const expected = masked.predict(x) as tf.Tensor;
      const actual = pruned.predict(x) as tf.Tensor;
      expect(actual.shape).toEqual(expected.shape);
      expect(maxDifference(actual, expected)).toBeLessThan(1e-5);
      maskingEffect = Math.max(maskingEffect, maxDifference(model.predict(x) as tf.Tensor, expected));
      expect(pruned.countParams()).toBeLessThan(model.countParams());
      [model, pruned, masked].forEach((m) => m.dispose());
    }
    // The masking must matter in some trial (initial weights are unseeded, so a cut channel can
    // be dead in one), or the comparisons above prove nothing.
    expect(maskingEffect).toBeGreaterThan(1e-4);
  });

  it('shrinks kernels, biases and BatchNorm vectors to the kept width', () => {
    const model = sequentialCnn();
    const pruned = pruneChannels(
      model,
      new Map([
        ['c1', [1, 3]],
        ['c2', [0, 2, 5]],
      ]),
    );
    expect(pruned.getLayer('c1').getWeights()[0].shape).toEqual([3, 3, 2, 2]);
    expect(pruned.getLayer('c2').getWeights()[0].shape).toEqual([3, 3, 2, 3]);
    expect(
      pruned
        .getLayer('bn2')
        .getWeights()
        .map((w) => w.shape),
    ).toEqual([[3], [3], [3], [3]]);
    expect(pruned.getLayer('d1').getWeights()[0].shape).toEqual([4 * 3, 5]);
    const kept = tf.gather(model.getLayer('c1').getWeights()[0], [1, 3], 3);
    expect(maxDifference(kept, pruned.getLayer('c1').getWeights()[0])).toBe(0);
  });

  it('refuses to prune the output, an empty group or an unsorted list', () => {
    const model = sequentialCnn();
    const bad: KeepMap[] = [new Map([['out', [0, 1]]]), new Map([['c1', []]]), new Map([['c1', [2, 1]]])];
    for (const keep of bad) expect(() => pruneChannels(model, keep)).toThrow(PruningError);
  });
});
