import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { PruningError } from '../pruning-error';
import { blobTask } from '../testing/synthetic-task';
import { blobMlp } from '../testing/tiny-models';
import { evaluateAccuracy } from './evaluate-accuracy';
import { trainClassifier, TrainProgress } from './train-classifier';
import { TrainingData } from './train-loop';

jest.setTimeout(60_000);

describe(trainClassifier.name, () => {
  let train: TrainingData;
  let validation: TrainingData;

  beforeAll(async () => {
    await tf.setBackend('cpu');
    train = blobTask(256, 11);
    validation = blobTask(150, 12);
  });

  it('learns a real task, reports progress with an ETA, and repeats exactly for a seed', async () => {
    const events: TrainProgress[] = [];
    const a = blobMlp(2);
    const chance = evaluateAccuracy(a, validation);
    const result = await trainClassifier(a, train, {
      epochs: 6,
      batchSize: 32,
      learningRate: 1e-2,
      seed: 4,
      validation,
      onProgress: (e) => events.push(e),
    });
    expect(result.valAccuracy).toBeGreaterThan(Math.max(0.6, chance + 0.2));
    expect(result.epochLosses).toHaveLength(6);
    expect(result.epochLosses[5]).toBeLessThan(result.epochLosses[0]);
    const steps = events.map((e) => e.step);
    expect(steps).toEqual([...steps].sort((x, y) => x - y));
    expect(events[events.length - 1]).toMatchObject({ step: 48, totalSteps: 48, epoch: 6, etaSeconds: 0 });
    expect(events.filter((e) => e.valAccuracy !== undefined)).toHaveLength(6);

    const b = blobMlp(2);
    await trainClassifier(b, train, { epochs: 6, batchSize: 32, learningRate: 1e-2, seed: 4 });
    expect(b.getWeights()[0].dataSync()).toEqual(a.getWeights()[0].dataSync());
    a.dispose();
    b.dispose();
  });

  it('follows the learning-rate schedule it is given', async () => {
    const run = async (lrSchedule: 'constant' | 'cosine') => {
      const m = blobMlp(3);
      await trainClassifier(m, train, { epochs: 2, batchSize: 32, seed: 1, lrSchedule });
      const w = m.getWeights()[0].dataSync().slice();
      m.dispose();
      return w;
    };
    expect(await run('constant')).not.toEqual(await run('cosine'));
  });

  it('stops with ABORTED when its signal fires', async () => {
    const controller = new AbortController();
    const m = blobMlp(1);
    const run = trainClassifier(m, train, {
      epochs: 50,
      batchSize: 16,
      signal: controller.signal,
      onProgress: (e) => e.step >= 3 && controller.abort(),
    });
    await expect(run).rejects.toMatchObject({ code: 'ABORTED' });
    await expect(trainClassifier(m, train, { epochs: 0 })).rejects.toThrow(PruningError);
    m.dispose();
  });
});
