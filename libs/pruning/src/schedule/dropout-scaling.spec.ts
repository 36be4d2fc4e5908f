import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { buildPruningGraph } from '../graph/build-pruning-graph';
import { PruningError } from '../pruning-error';
import { pruneChannels } from '../surgery/prune-channels';
import { sequentialCnn } from '../testing/tiny-models';
import { scaledDropoutRates } from './dropout-scaling';

describe(scaledDropoutRates.name, () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  const groupOf = (graph: ReturnType<typeof buildPruningGraph>, producer: string) =>
    [...graph.groups.values()].find((g) => g.producers.includes(producer))?.id as string;

  it('scales the rate by the square root of the surviving share of the feeding Dense kernel', () => {
    const model = sequentialCnn();
    const graph = buildPruningGraph(model);
    // d1's kernel: Flatten of 2x2x6 into 5 units = 120 weights; keeping 3 of c2's channels and
    // 2 of d1's units leaves 2x2x3 x 2 = 24, a fifth.
    const keep = new Map([
      [groupOf(graph, 'c2'), [0, 1, 2]],
      [groupOf(graph, 'd1'), [1, 4]],
    ]);
    const rates = scaledDropoutRates(model, graph, graph, keep);
    expect(rates.get('drop')).toBeCloseTo(0.25 * Math.sqrt(24 / 120), 10);
    expect(scaledDropoutRates(model, graph, graph, new Map()).get('drop')).toBeCloseTo(0.25, 10);

    // A second cut is measured against the original model, not the intermediate one.
    const once = pruneChannels(model, keep, graph, rates);
    expect(once.getLayer('drop').getConfig().rate).toBeCloseTo(0.25 * Math.sqrt(0.2), 10);
    const onceGraph = buildPruningGraph(once);
    const again = scaledDropoutRates(model, graph, onceGraph, new Map([[groupOf(onceGraph, 'd1'), [0]]]));
    expect(again.get('drop')).toBeCloseTo(0.25 * Math.sqrt(12 / 120), 10);
    once.dispose();
    model.dispose();
  });

  it('refuses rates for layers that are not Dropout', () => {
    const model = sequentialCnn();
    expect(() => pruneChannels(model, new Map(), undefined, new Map([['d1', 0.1]]))).toThrow(PruningError);
    model.dispose();
  });
});
