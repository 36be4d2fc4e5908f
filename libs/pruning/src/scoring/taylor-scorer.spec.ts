import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { forwardGraph } from '../execution/graph-forward';
import { createGates } from '../execution/layout-gate';
import { buildPruningGraph } from '../graph/build-pruning-graph';
import { pruneChannels } from '../surgery/prune-channels';
import { blobTask } from '../testing/synthetic-task';
import { blobMlp, randomInput, randomizeBatchNorms, sequentialCnn } from '../testing/tiny-models';
import { BatchSampler } from '../training/batch-sampler';
import { crossEntropy, logProbabilities } from '../training/classification-loss';
import { trainLoop } from '../training/train-loop';
import { TaylorEstimate, TaylorScorer } from './taylor-scorer';

describe(TaylorScorer.name, () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('reads d loss / d gate equal to a finite difference of the loss', () => {
    const model = sequentialCnn();
    randomizeBatchNorms(model, 3);
    const graph = buildPruningGraph(model);
    const x = randomInput([6, 8, 8, 2], 9);
    const y = tf.tensor1d([0, 1, 2, 0, 1, 2], 'int32');
    const loss = (gates: Map<string, tf.Tensor>) =>
      crossEntropy(logProbabilities(forwardGraph(model, graph, x, { gates }), false), y);
    const gates = createGates(graph);
    const { grads } = tf.variableGrads(() => loss(gates), [...gates.values()]);
    const eps = 1e-2;
    for (const [groupId, channel] of [
      ['c1', 2],
      ['c2', 4],
      ['d1', 1],
    ] as const) {
      const shifted = (delta: number) => {
        const values = new Map<string, tf.Tensor>(gates);
        const gate = new Float32Array(values.get(groupId)?.size ?? 0).fill(1);
        gate[channel] += delta;
        values.set(groupId, tf.tensor1d(gate));
        return loss(values).dataSync()[0];
      };
      const numeric = (shifted(eps) - shifted(-eps)) / (2 * eps);
      const analytic = grads[gates.get(groupId)?.name as string].dataSync()[channel];
      expect(Math.abs(numeric - analytic)).toBeLessThan(1e-3 + 0.05 * Math.abs(analytic));
    }
  });

  it("splits d loss / d gate by sample: rows add up to the batch gradient, a row is its sample's share", () => {
    const model = sequentialCnn();
    randomizeBatchNorms(model, 3);
    const graph = buildPruningGraph(model);
    const x = randomInput([6, 8, 8, 2], 9);
    const y = tf.tensor1d([0, 1, 2, 0, 1, 2], 'int32');
    const gradients = (input: tf.Tensor, labels: tf.Tensor1D, gates: Map<string, tf.Variable>) => {
      const { grads } = tf.variableGrads(
        () => crossEntropy(logProbabilities(forwardGraph(model, graph, input, { gates }), false), labels),
        [...gates.values()],
      );
      return new Map([...gates].map(([id, gate]) => [id, grads[gate.name]]));
    };
    const batch = gradients(x, y, createGates(graph));
    const perSample = gradients(x, y, createGates(graph, 6));
    const third = gradients(tf.slice(x, [2], [1]), tf.slice(y, [2], [1]), createGates(graph));
    for (const id of ['c1', 'c2', 'd1']) {
      const rows = perSample.get(id) as tf.Tensor;
      expect(rows.shape).toEqual([6, graph.groups.get(id)?.size]);
      const summed = tf.sum(rows, 0).dataSync();
      batch
        .get(id)
        ?.dataSync()
        .forEach((g, c) => expect(summed[c]).toBeCloseTo(g, 5));
      // The batch loss is a mean over 6 samples, so a sample's share is a sixth of its own gradient.
      const row = tf.slice(rows, [2, 0], [1, -1]).dataSync();
      third
        .get(id)
        ?.dataSync()
        .forEach((g, c) => expect(row[c]).toBeCloseTo(g / 6, 5));
    }
  });

  it('scores from the batch gradient or from the per-sample magnitudes, as asked', () => {
    const graph = buildPruningGraph(sequentialCnn());
    const observation = {
      gateGradients: new Map([['c1', new Float32Array([1, -1, 0, 0])]]),
      gateSampleMagnitudes: new Map([['c1', new Float32Array([3, 5, 2, 0])]]),
    };
    const scores = (estimate: TaylorEstimate) => {
      const scorer = new TaylorScorer(graph, { estimate, normalization: 'none' });
      scorer.observe(observation);
      return Array.from(scorer.scores().get('c1') ?? []);
    };
    expect(scores('batch')).toEqual([1, 1, 0, 0]);
    expect(scores('per-sample')).toEqual([3, 5, 2, 0]);
  });

  it('keeps an exponential moving average of |gradient| and normalises each group to unit norm', () => {
    const graph = buildPruningGraph(sequentialCnn());
    const raw = new TaylorScorer(graph, { momentum: 0.5, normalization: 'none' });
    const unit = new TaylorScorer(graph, { momentum: 0.5, normalization: 'layer-l2' });
    const first = new Float32Array([1, -2, 0, 4]);
    const second = new Float32Array([3, 0, 0, -4]);
    for (const scorer of [raw, unit]) {
      scorer.observe({ gateGradients: new Map([['c1', first]]) });
      scorer.observe({ gateGradients: new Map([['c1', second]]) });
    }
    const expected = first.map((f, i) => 0.5 * Math.abs(f) + 0.5 * Math.abs(second[i]));
    expect(raw.scores().get('c1')).toEqual(expected);
    const norm = Math.hypot(...expected);
    Array.from(unit.scores().get('c1') ?? []).forEach((s, i) => expect(s).toBeCloseTo(expected[i] / norm, 6));
  });

  it('ranks channels so that cutting the lowest hurts less than cutting the highest', async () => {
    const train = blobTask(192, 1);
    const model = blobMlp();
    const graph = buildPruningGraph(model);
    const scorer = new TaylorScorer(graph);
    await trainLoop(model, graph, train, {
      batches: 40,
      sampler: new BatchSampler(192, 16, 5),
      optimizer: tf.train.adam(1e-2),
      learningRate: () => 1e-2,
      seed: 5,
      scorer,
    });
    const scores = scorer.scores().get('h1') as Float32Array;
    const order = Array.from(scores.keys()).sort((a, b) => scores[a] - scores[b]);
    const lossWithout = (removed: number[]) => {
      const kept = order.filter((c) => !removed.includes(c)).sort((a, b) => a - b);
      const pruned = pruneChannels(model, new Map([['h1', kept]]), graph);
      const value = tf.tidy(
        () =>
          crossEntropy(logProbabilities(pruned.predict(train.x) as tf.Tensor, false), train.y).dataSync()[0],
      );
      pruned.dispose();
      return value;
    };
    expect(lossWithout(order.slice(0, 6))).toBeLessThan(lossWithout(order.slice(-6)));
  });
});
