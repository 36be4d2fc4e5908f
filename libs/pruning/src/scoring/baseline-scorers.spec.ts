import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { buildPruningGraph } from '../graph/build-pruning-graph';
import { blobMlp, sequentialCnn } from '../testing/tiny-models';
import { L1NormScorer } from './l1-norm-scorer';
import { RandomScorer } from './random-scorer';
import { normalizeScores } from './score-normalization';

describe(L1NormScorer.name, () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('scores each channel by the L1 norm of its producer kernel slice', () => {
    const model = sequentialCnn();
    const scores = new L1NormScorer(model, buildPruningGraph(model), 'none').scores();
    const kernel = model.getLayer('c2').getWeights()[0];
    const expected = tf.sum(tf.abs(kernel), [0, 1, 2]).dataSync();
    Array.from(scores.get('c2') ?? []).forEach((s, i) => expect(s).toBeCloseTo(expected[i], 5));
    expect([...scores.keys()].sort()).toEqual(['c1', 'c2', 'd1']);
  });
});

describe(RandomScorer.name, () => {
  it('repeats for a seed and differs across seeds', () => {
    const graph = buildPruningGraph(blobMlp());
    const a = new RandomScorer(graph, 1).scores().get('h1');
    expect(new RandomScorer(graph, 1).scores().get('h1')).toEqual(a);
    expect(new RandomScorer(graph, 2).scores().get('h1')).not.toEqual(a);
  });
});

describe(normalizeScores.name, () => {
  it('divides by the params one channel costs under cost normalisation', () => {
    const graph = buildPruningGraph(blobMlp());
    const raw = new Map([
      ['h1', new Float32Array(16).fill(1)],
      ['h2', new Float32Array(12).fill(1)],
    ]);
    const scores = normalizeScores(raw, 'cost', graph);
    // An h1 unit holds 36 inputs + 1 bias + 12 outgoing weights; an h2 unit 16 + 1 + 3.
    expect(scores.get('h1')?.[0]).toBeCloseTo(1 / 49, 6);
    expect(scores.get('h2')?.[0]).toBeCloseTo(1 / 20, 6);
  });

  it('divides by the group L2 norm and then the channel cost under l2-cost', () => {
    const graph = buildPruningGraph(blobMlp());
    const raw = new Map([
      ['h1', new Float32Array(16).fill(3)],
      ['h2', Float32Array.from({ length: 12 }, (_, i) => (i === 0 ? 4 : 0))],
    ]);
    const scores = normalizeScores(raw, 'l2-cost', graph);
    // ||h1|| = 3 * sqrt(16) = 12; ||h2|| = 4. Costs as above: 49 and 20.
    expect(scores.get('h1')?.[5]).toBeCloseTo(3 / 12 / 49, 6);
    expect(scores.get('h2')?.[0]).toBeCloseTo(1 / 20, 6);
    expect(scores.get('h2')?.[1]).toBe(0);
    expect(raw.get('h1')?.[0]).toBe(3);
    const halfway = normalizeScores(raw, 'l2-sqrt-cost', graph);
    expect(halfway.get('h1')?.[5]).toBeCloseTo(3 / 12 / 7, 6);
    expect(halfway.get('h2')?.[0]).toBeCloseTo(1 / Math.sqrt(20), 6);
  });
});
