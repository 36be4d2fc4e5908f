import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import type * as tfl from '@tensorflow/tfjs-layers';
import { buildPruningGraph } from '../graph/build-pruning-graph';
import { PruningError } from '../pruning-error';
import { TaylorScorer } from '../scoring/taylor-scorer';
import { pruneChannels } from '../surgery/prune-channels';
import { blobTask } from '../testing/synthetic-task';
import { blobCnn, blobMlp } from '../testing/tiny-models';
import { BatchSampler } from './batch-sampler';
import { distillationLoss, logProbabilities } from './classification-loss';
import { evaluateAccuracy } from './evaluate-accuracy';
import { trainLoop, TrainingData } from './train-loop';

function flatWeights(model: { getWeights(): tf.Tensor[] }): Float32Array {
  return Float32Array.from(model.getWeights().flatMap((w) => Array.from(w.dataSync())));
}

describe(trainLoop.name, () => {
  let train: TrainingData;
  let validation: TrainingData;

  beforeAll(async () => {
    await tf.setBackend('cpu');
    train = blobTask(192, 1);
    validation = blobTask(120, 2);
  });

  const run = (model: tfl.LayersModel, seed: number, extra: object = {}) =>
    trainLoop(model, buildPruningGraph(model), train, {
      batches: 40,
      sampler: new BatchSampler(192, 16, seed),
      optimizer: tf.train.adam(1e-2),
      learningRate: () => 1e-2,
      seed,
      ...extra,
    });

  it('learns the task and repeats exactly for the same seed', async () => {
    const a = blobMlp();
    const b = pruneChannels(a, new Map());
    const before = evaluateAccuracy(a, validation);
    await run(a, 4);
    await run(b, 4);
    expect(evaluateAccuracy(a, validation)).toBeGreaterThan(Math.max(0.9, before));
    expect(flatWeights(a)).toEqual(flatWeights(b));
  });

  it('trains a CNN with BatchNorm in training mode, updating its moving statistics', async () => {
    const model = blobCnn();
    const movingMean = () => Array.from(model.getLayer('bn1').getWeights()[2].dataSync());
    const initial = movingMean();
    const scorer = new TaylorScorer(buildPruningGraph(model));
    const loss = await trainLoop(model, buildPruningGraph(model), train, {
      batches: 6,
      sampler: new BatchSampler(192, 16, 1),
      optimizer: tf.train.adam(1e-2),
      learningRate: () => 1e-2,
      seed: 1,
      scorer,
    });
    expect(Number.isFinite(loss)).toBe(true);
    expect(movingMean()).not.toEqual(initial);
    expect([...scorer.scores().keys()].sort()).toEqual(['c1', 'c2', 'd1']);
  });

  it('pulls the student toward the teacher when distilling (alpha 1: no labels used)', async () => {
    const teacher = blobMlp();
    await run(teacher, 2);
    const student = blobMlp();
    const gap = () =>
      tf.tidy(() => {
        const t = logProbabilities(teacher.predict(validation.x) as tf.Tensor, false);
        const s = logProbabilities(student.predict(validation.x) as tf.Tensor, false);
        return distillationLoss(s, t, 2).dataSync()[0];
      });
    const before = gap();
    await run(student, 3, { teacher: { model: teacher, temperature: 2, alpha: 1 } });
    expect(gap()).toBeLessThan(before / 4);
    expect(evaluateAccuracy(student, validation)).toBeGreaterThan(0.9);
  });

  it('stops with ABORTED when its signal fires', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(run(blobMlp(), 1, { signal: controller.signal })).rejects.toThrow(PruningError);
  });
});
