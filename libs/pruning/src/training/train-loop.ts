import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { createGates } from '../execution/layout-gate';
import { forwardGraph } from '../execution/graph-forward';
import { PruningGraph } from '../graph/pruning-graph';
import { PruningError } from '../pruning-error';
import { ImportanceScorer } from '../scoring/importance-scorer';
import { BatchSampler } from './batch-sampler';
import {
  crossEntropy,
  distillationLoss,
  logProbabilities,
  outputsProbabilities,
} from './classification-loss';

/** Float32 inputs (NHWC or [N, features]) and int32 class labels. */
export interface TrainingData {
  readonly x: tf.Tensor;
  readonly y: tf.Tensor1D;
}

/** A frozen model whose softened outputs the student also learns from. */
export interface Teacher {
  readonly model: tfl.LayersModel;
  /** Softmax temperature. Default 4. */
  readonly temperature?: number;
  /** Weight of the distillation term; (1 - alpha) goes to the labels. Default 0.5. */
  readonly alpha?: number;
}

/** One run of `trainLoop`. */
export interface TrainLoopOptions {
  readonly batches: number;
  readonly sampler: BatchSampler;
  /** Adam (or any optimizer); make a new one after surgery, its slots follow the old shapes. */
  readonly optimizer: tf.Optimizer;
  readonly learningRate: (batch: number) => number;
  /** Extra loss evaluated inside the gradient tape (e.g. a scaled sparsity penalty). */
  readonly regularizer?: (batch: number) => tf.Scalar | null;
  readonly teacher?: Teacher;
  readonly scorer?: ImportanceScorer;
  /** Base of the dropout seeds; runs with the same seeds repeat exactly. */
  readonly seed: number;
  readonly signal?: AbortSignal;
  readonly onBatch?: (batch: number, loss: number) => void | Promise<void>;
}

/**
 * Custom training loop: BatchNorm in training mode, seeded shuffles and dropout, optional
 * distillation and regulariser, and gate gradients fed to a Taylor scorer on every batch.
 * @returns mean training loss over the run (NaN if `batches` is 0)
 */
export async function trainLoop(
  model: tfl.LayersModel,
  graph: PruningGraph,
  data: TrainingData,
  options: TrainLoopOptions,
): Promise<number> {
  const probabilities = outputsProbabilities(model);
  const weights = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const gates = options.scorer?.needsGates
    ? createGates(graph, options.sampler.batchSize)
    : new Map<string, tf.Variable>();
  const gateList = [...gates.values()];
  const teacherProbabilities = options.teacher ? outputsProbabilities(options.teacher.model) : false;
  let total = 0;
  try {
    for (let batch = 0; batch < options.batches; batch++) {
      if (options.signal?.aborted)
        throw new PruningError('ABORTED', 'pruning was cancelled by its AbortSignal');
      setLearningRate(options.optimizer, options.learningRate(batch));
      const indices = options.sampler.next();
      const loss = tf.tidy(() => {
        const idx = tf.tensor1d(indices, 'int32');
        const x = tf.gather(data.x, idx);
        const y = tf.gather(data.y, idx) as tf.Tensor1D;
        const teacherLogp = options.teacher
          ? logProbabilities(options.teacher.model.predict(x) as tf.Tensor, teacherProbabilities)
          : null;
        const { value, grads } = tf.variableGrads(() => {
          const out = forwardGraph(model, graph, x, {
            training: true,
            gates: gates.size > 0 ? gates : undefined,
            dropoutSeed: options.seed * 7919 + batch * 131,
          });
          const logp = logProbabilities(out, probabilities);
          let l = crossEntropy(logp, y);
          if (options.teacher && teacherLogp) {
            const alpha = options.teacher.alpha ?? 0.5;
            const kd = distillationLoss(logp, teacherLogp, options.teacher.temperature ?? 4);
            l = tf.add(tf.mul(l, 1 - alpha), tf.mul(kd, alpha));
          }
          const penalty = options.regularizer?.(batch);
          return penalty ? tf.add(l, penalty) : l;
        }, [...weights, ...gateList]);
        if (gates.size > 0) {
          const gateGradients = new Map<string, Float32Array>();
          const gateSampleMagnitudes = new Map<string, Float32Array>();
          for (const [id, gate] of gates) {
            const g = grads[gate.name] ?? tf.zerosLike(gate);
            gateGradients.set(id, tf.sum(g, 0).dataSync() as Float32Array);
            gateSampleMagnitudes.set(id, tf.sum(tf.abs(g), 0).dataSync() as Float32Array);
          }
          options.scorer?.observe({ gateGradients, gateSampleMagnitudes });
        }
        options.optimizer.applyGradients(Object.fromEntries(weights.map((w) => [w.name, grads[w.name]])));
        return value;
      });
      const lossValue = (await loss.data())[0];
      loss.dispose();
      total += lossValue;
      await options.onBatch?.(batch, lossValue);
    }
  } finally {
    gateList.forEach((g) => g.dispose());
  }
  return total / options.batches;
}

/** TF.js optimizers keep the rate in a protected field that `applyGradients` reads each step. */
function setLearningRate(optimizer: tf.Optimizer, rate: number): void {
  (optimizer as unknown as { learningRate: number }).learningRate = rate;
}
