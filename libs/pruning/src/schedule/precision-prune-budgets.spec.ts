import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import type * as tfl from '@tensorflow/tfjs-layers';
import { countParams } from '../cost/model-cost';
import { buildPruningGraph } from '../graph/build-pruning-graph';
import { PruningError } from '../pruning-error';
import { blobTask } from '../testing/synthetic-task';
import { blobMlp } from '../testing/tiny-models';
import { BatchSampler } from '../training/batch-sampler';
import { trainLoop, TrainingData } from '../training/train-loop';
import { precisionPrune } from './precision-prune';
import { PrecisionPruneOptions } from './prune-options';

describe(`${precisionPrune.name} budgets`, () => {
  let train: TrainingData;
  let validation: TrainingData;
  let model: tfl.LayersModel;

  beforeAll(async () => {
    await tf.setBackend('cpu');
    train = blobTask(192, 1);
    validation = blobTask(150, 2);
    model = blobMlp();
    await trainLoop(model, buildPruningGraph(model), train, {
      batches: 40,
      sampler: new BatchSampler(192, 16, 1),
      optimizer: tf.train.adam(1e-2),
      learningRate: () => 1e-2,
      seed: 1,
    });
  }, 30_000);

  const base = (): PrecisionPruneOptions => ({ model, train, validation, epochs: 2, batchSize: 16, seed: 9 });

  it('is deterministic for a seed and accepts flat arrays', async () => {
    const arrays = {
      x: train.x.dataSync() as Float32Array,
      shape: train.x.shape,
      y: train.y.dataSync(),
    };
    const a = await precisionPrune({ ...base(), targetParams: 0.5, scorer: 'taylor' });
    const b = await precisionPrune({ ...base(), train: arrays, targetParams: 0.5, scorer: 'taylor' });
    expect(b.history).toEqual(a.history);
    expect(b.widths).toEqual(a.widths);
    expect(Array.from(b.model.getWeights()[0].dataSync())).toEqual(
      Array.from(a.model.getWeights()[0].dataSync()),
    );
  }, 30_000);

  it('with maxDrop alone prunes as far as the tolerance allows and never ends below it', async () => {
    const result = await precisionPrune({
      ...base(),
      maxDrop: 2,
      scorer: 'taylor',
      rounds: 4,
      distill: true,
    });
    expect(result.params.after).toBeLessThan(result.params.before);
    for (const h of result.history.filter((e) => e.phase === 'prune' && e.accepted)) {
      expect(h.valAccuracy).toBeGreaterThanOrEqual(result.baselineAccuracy - 0.02);
    }
  }, 30_000);

  it('rolls a round back to the last good model when accuracy falls below tolerance', async () => {
    const result = await precisionPrune({
      ...base(),
      maxDrop: 0,
      stepFraction: 0.9,
      scorer: 'random',
      maxBackoffs: 0,
    });
    const rejected = result.history.filter((h) => !h.accepted);
    expect(rejected.length).toBeGreaterThan(0);
    expect(rejected[0].valAccuracy).toBeLessThan(result.baselineAccuracy);
    const lastAccepted = result.history.filter((h) => h.accepted && h.phase !== 'finetune').pop();
    expect(result.params.after).toBe(lastAccepted?.params);
  }, 30_000);

  it('retries a rolled-back round with half the cut without using up a round', async () => {
    const result = await precisionPrune({
      ...base(),
      targetParams: 0.3,
      maxDrop: 0,
      rounds: 1,
      scorer: 'random',
      maxBackoffs: 1,
    });
    const cuts = result.history.filter((h) => h.phase === 'prune');
    expect(cuts.map((h) => h.round)).toEqual([1, 1]);
    expect(cuts[0].accepted).toBe(false);
    // Half the cut: the retry stops halfway between the model and the target.
    expect(cuts[1].params).toBeGreaterThan(cuts[0].params);
    result.model.dispose();
  }, 30_000);

  it('keeps cutting until the fits() callback is satisfied', async () => {
    const limit = 0.6 * countParams(model);
    const result = await precisionPrune({
      ...base(),
      scorer: 'random',
      stepFraction: 0.25,
      fits: (m) => ({ fits: countParams(m) <= limit, reason: 'flash' }),
    });
    expect(result.params.after).toBeLessThanOrEqual(limit);
    expect(result.budgetMet).toBe(true);
  }, 30_000);

  it('meets targetParams even when the budget is too small to score before the first cut', async () => {
    // 0.05 epochs of 192 samples in batches of 16 is one batch: no scoring before round 1.
    const result = await precisionPrune({ ...base(), epochs: 0.05, targetParams: 0.5 });
    expect(result.params.after).toBeLessThanOrEqual(result.params.before * 0.5);
    expect(result.budgetMet).toBe(true);
    result.model.dispose();
  });

  it('rejects a missing budget and honours an aborted signal', async () => {
    await expect(precisionPrune(base())).rejects.toThrow(/give a budget/);
    const controller = new AbortController();
    controller.abort();
    await expect(precisionPrune({ ...base(), targetParams: 0.5, signal: controller.signal })).rejects.toThrow(
      PruningError,
    );
  });
});
