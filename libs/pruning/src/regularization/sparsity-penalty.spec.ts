import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import type * as tfl from '@tensorflow/tfjs-layers';
import { buildPruningGraph } from '../graph/build-pruning-graph';
import { channelReductions } from '../scoring/channel-reductions';
import { pruneChannels } from '../surgery/prune-channels';
import { blobTask } from '../testing/synthetic-task';
import { blobMlp, sequentialCnn } from '../testing/tiny-models';
import { BatchSampler } from '../training/batch-sampler';
import { regularizationStrength } from '../training/schedules';
import { trainLoop } from '../training/train-loop';
import { sparsityPenalty } from './sparsity-penalty';

/** Per-channel L2 norms of the h1 group (its kernel column, bias and outgoing row). */
function groupNorms(model: tfl.LayersModel): number[] {
  return tf.tidy(() => {
    const sq = channelReductions(model, buildPruningGraph(model), 'square', () => true).get(
      'h1',
    ) as tf.Tensor1D;
    return Array.from(tf.sqrt(sq).dataSync());
  });
}

/** Mean of the weakest quarter of the norms relative to the mean of all. */
function weakShare(norms: number[]): number {
  const sorted = [...norms].sort((a, b) => a - b);
  const weak = sorted.slice(0, Math.floor(sorted.length / 4));
  const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
  return mean(weak) / mean(sorted);
}

describe(sparsityPenalty.name, () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('equals the summed channel L2 norms plus the L1 of BatchNorm gamma', () => {
    const model = sequentialCnn();
    const graph = buildPruningGraph(model);
    const onlyLasso = sparsityPenalty(model, graph, { groupLasso: 1, batchNormL1: 0 }).dataSync()[0];
    const onlyGamma = sparsityPenalty(model, graph, { groupLasso: 0, batchNormL1: 1 }).dataSync()[0];
    // Channel norms computed independently from the architecture (BatchNorm excluded):
    // c1: kernel column + bias + c2 input slice; c2: kernel column + d1 rows of that channel;
    // d1: kernel column + bias + out row.
    const w = (layer: string, i: number) => model.getLayer(layer).getWeights()[i];
    const sq = (t: tf.Tensor, axes: number[]) => tf.sum(tf.square(t), axes);
    const c1 = tf.addN([sq(w('c1', 0), [0, 1, 2]), tf.square(w('c1', 1)), sq(w('c2', 0), [0, 1, 3])]);
    const c2 = tf.add(sq(w('c2', 0), [0, 1, 2]), sq(tf.reshape(w('d1', 0), [4, 6, 5]), [0, 2]));
    const d1 = tf.addN([sq(w('d1', 0), [0]), tf.square(w('d1', 1)), sq(w('out', 0), [1])]);
    const expected = [c1, c2, d1].reduce((sum, t) => sum + tf.sum(tf.sqrt(t)).dataSync()[0], 0);
    expect(onlyLasso).toBeCloseTo(expected, 4);
    const gammas = ['bn1', 'bn2'].map((n) => tf.sum(tf.abs(model.getLayer(n).getWeights()[0])).dataSync()[0]);
    expect(onlyGamma).toBeCloseTo(gammas[0] + gammas[1], 4);
  });

  it('drives the weakest groups toward zero compared with plain training', async () => {
    const train = blobTask(192, 1);
    const plain = blobMlp();
    const regularized = pruneChannels(plain, new Map());
    const graph = buildPruningGraph(regularized);
    const options = (seed: number) => ({
      batches: 80,
      sampler: new BatchSampler(192, 16, seed),
      optimizer: tf.train.adam(1e-2),
      learningRate: () => 1e-2,
      seed,
    });
    await trainLoop(plain, buildPruningGraph(plain), train, options(2));
    await trainLoop(regularized, graph, train, {
      ...options(2),
      regularizer: (b: number) =>
        tf.mul(
          sparsityPenalty(regularized, graph, { groupLasso: 0.02 }),
          regularizationStrength(b, 80),
        ) as tf.Scalar,
    });
    expect(weakShare(groupNorms(regularized))).toBeLessThan(0.5 * weakShare(groupNorms(plain)));
  });

  it('ramps up, holds, then decays its strength', () => {
    const s = (step: number) => regularizationStrength(step, 100, { warmup: 0.2, decay: 0.3 });
    expect(s(0)).toBeLessThan(0.1);
    expect(s(10)).toBeCloseTo(0.525, 5);
    expect(s(50)).toBe(1);
    expect(s(99)).toBeLessThan(0.05);
  });
});
