import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import type * as tfl from '@tensorflow/tfjs-layers';
import { countParams } from '../cost/model-cost';
import { buildPruningGraph } from '../graph/build-pruning-graph';
import { blobTask } from '../testing/synthetic-task';
import { blobCnn } from '../testing/tiny-models';
import { BatchSampler } from '../training/batch-sampler';
import { evaluateAccuracy } from '../training/evaluate-accuracy';
import { trainLoop } from '../training/train-loop';
import { PruneProgress } from './prune-options';
import { precisionPrune } from './precision-prune';

async function trainedCnn(train: { x: tf.Tensor; y: tf.Tensor1D }): Promise<tfl.LayersModel> {
  const model = blobCnn();
  const optimizer = tf.train.adam(1e-2);
  await trainLoop(model, buildPruningGraph(model), train, {
    batches: 30,
    sampler: new BatchSampler(train.y.shape[0], 16, 1),
    optimizer,
    learningRate: () => 1e-2,
    seed: 1,
  });
  return model;
}

describe(precisionPrune.name, () => {
  let train: { x: tf.Tensor4D; y: tf.Tensor1D };
  let validation: { x: tf.Tensor4D; y: tf.Tensor1D };
  let model: tfl.LayersModel;

  beforeAll(async () => {
    await tf.setBackend('cpu');
    train = blobTask(192, 1);
    validation = blobTask(150, 2);
    model = await trainedCnn(train);
  }, 60_000);

  it('reaches targetParams on a trained CNN and keeps its accuracy', async () => {
    const baseline = evaluateAccuracy(model, validation);
    const firstKernel = Array.from(model.getWeights()[0].dataSync());
    expect(baseline).toBeGreaterThan(0.9);
    const events: PruneProgress[] = [];
    const result = await precisionPrune({
      model,
      train,
      validation,
      targetParams: 0.4,
      epochs: 4,
      batchSize: 16,
      learningRate: 1e-2,
      seed: 3,
      onProgress: (e) => events.push(e),
    });
    expect(result.params.after).toBeLessThanOrEqual(0.4 * result.params.before);
    expect(result.params.after).toBe(countParams(result.model));
    expect(result.budgetMet).toBe(true);
    expect(result.finalAccuracy).toBeGreaterThanOrEqual(baseline - 0.05);
    expect(countParams(model)).toBe(result.params.before);
    expect(Array.from(model.getWeights()[0].dataSync())).toEqual(firstKernel);
    expect(events.every((e, i) => i === 0 || e.step >= events[i - 1].step)).toBe(true);
    expect(events[events.length - 1].phase).toBe('done');
    expect(result.widths.find((w) => w.layer === 'out')).toEqual({ layer: 'out', before: 3, after: 3 });
    expect(result.backend).toBe('cpu');
    result.model.dispose();
  }, 90_000);

  it('prunes with per-sample Taylor scores and refuses unknown option values', async () => {
    const options = { model, train, validation, targetParams: 0.5, epochs: 2, batchSize: 16, seed: 4 };
    await expect(
      precisionPrune({ ...options, taylorEstimate: 'sample' as 'per-sample' }),
    ).rejects.toMatchObject({ code: 'INVALID_OPTIONS', message: expect.stringContaining("'per-sample'") });
    await expect(precisionPrune({ ...options, normalization: 'l2cost' as 'l2-cost' })).rejects.toMatchObject({
      code: 'INVALID_OPTIONS',
      message: expect.stringContaining("'l2-sqrt-cost'"),
    });
    await expect(precisionPrune({ ...options, scorer: 'l2' as 'l1' })).rejects.toMatchObject({
      code: 'INVALID_OPTIONS',
      message: expect.stringContaining("'random'"),
    });
    await expect(precisionPrune({ ...options, sparsity: { groupLasso: NaN } })).rejects.toMatchObject({
      code: 'INVALID_OPTIONS',
      message: expect.stringContaining('sparsity.groupLasso'),
    });
    await expect(precisionPrune({ ...options, minKeepFraction: 1 })).rejects.toMatchObject({
      code: 'INVALID_OPTIONS',
      message: expect.stringContaining('[0, 1)'),
    });
    const result = await precisionPrune({
      ...options,
      learningRate: 1e-2,
      taylorEstimate: 'per-sample',
      minKeepFraction: 0.45,
    });
    expect(result.budgetMet).toBe(true);
    for (const w of result.widths) expect(w.after).toBeGreaterThanOrEqual(Math.ceil(0.45 * w.before));
    expect(result.widths.some((w) => w.after === Math.ceil(0.45 * w.before))).toBe(true);
    expect(result.finalAccuracy).toBeGreaterThanOrEqual(evaluateAccuracy(model, validation) - 0.1);
    result.model.dispose();
  }, 90_000);
});
