import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { buildPruningGraph } from '../graph/build-pruning-graph';
import { precisionPrune } from '../schedule/precision-prune';
import { BatchSampler } from '../training/batch-sampler';
import { evaluateAccuracy } from '../training/evaluate-accuracy';
import { trainLoop } from '../training/train-loop';
import { blobTask } from './synthetic-task';
import { blobCnn } from './tiny-models';

it('probe', async () => {
  await tf.setBackend('cpu');
  const train = blobTask(192, 1);
  const validation = blobTask(150, 2);
  for (const seed of [1, 2, 3, 4]) {
    const model = blobCnn(seed);
    await trainLoop(model, buildPruningGraph(model), train, {
      batches: 30, sampler: new BatchSampler(192, 16, 1), optimizer: tf.train.adam(1e-2), learningRate: () => 1e-2, seed: 1,
    });
    const base = evaluateAccuracy(model, validation);
    for (const scorer of ['taylor', 'l1'] as const) {
      const r = await precisionPrune({ model, train, validation, targetParams: 0.4, epochs: 3, batchSize: 16, learningRate: 3e-3, seed: 3, scorer });
      console.log(seed, scorer, base, r.finalAccuracy, r.params.after, JSON.stringify(r.widths.map((w) => w.after)), r.history.map((h) => h.valAccuracy.toFixed(2)).join(' '), r.wallTimeMs);
    }
  }
}, 600_000);
