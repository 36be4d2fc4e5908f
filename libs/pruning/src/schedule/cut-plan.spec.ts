import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { costForWidths } from '../cost/model-cost';
import { buildPruningGraph } from '../graph/build-pruning-graph';
import { blobMlp } from '../testing/tiny-models';
import { planCut } from './cut-plan';

describe(planCut.name, () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  const graph = () => buildPruningGraph(blobMlp());
  const scores = () =>
    new Map([
      ['h1', Float32Array.from({ length: 16 }, (_, i) => (i + 1) / 16)],
      ['h2', Float32Array.from({ length: 12 }, (_, i) => (i + 0.5) / 12)],
    ]);

  it('removes the lowest scores first, up to maxCut', () => {
    const keep = planCut(graph(), scores(), { maxCut: 3 });
    // Lowest three: h2[0] (0.042), h1[0] (0.0625), then h1[1] and h2[1] tie at 0.125 and the
    // group id breaks the tie, so h1[1] goes.
    expect(keep.get('h2')?.[0]).toBe(1);
    expect(keep.get('h1')?.[0]).toBe(2);
    expect([...keep.values()].reduce((n, k) => n + k.length, 0)).toBe(16 + 12 - 3);
  });

  it('stops at the params target and leaves every group its minimum', () => {
    const g = graph();
    const target = 0.3 * costForWidths(g, new Map()).params;
    const keep = planCut(g, scores(), { maxCut: Infinity, targetParams: target, minChannels: 2 });
    const widths = new Map([...keep].map(([id, k]) => [id, k.length]));
    expect(costForWidths(g, widths).params).toBeLessThanOrEqual(target);
    for (const k of keep.values()) expect(k.length).toBeGreaterThanOrEqual(2);
  });

  it('with marginal costs, prices each channel by what its removal saves at that step', () => {
    // One h1 channel holds 36 + 1 + 12 params (kernel column, bias, h2's row), one h2 channel
    // 16 + 1 + 3. After h2[0] goes, an h1 channel holds 48: its price rises from 0.98 / 49 =
    // 0.0200 to 0.98 / 48 = 0.0204, above h2[1]'s 0.404 / 20 = 0.0202. With costs fixed before
    // the cut, h1[0] would have gone second; third, at 0.98 / 47 = 0.0209, it goes before
    // h2[2] (0.45 / 20 = 0.0225), which a cost-blind cut would take.
    const fill = (head: number[], length: number) => Float32Array.from({ length }, (_, i) => head[i] ?? 2);
    const keep = planCut(
      graph(),
      new Map([
        ['h1', fill([0.98], 16)],
        ['h2', fill([0.3, 0.404, 0.45], 12)],
      ]),
      { maxCut: 3, marginalCost: true },
    );
    expect(keep.get('h1')).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));
    expect(keep.get('h2')).toEqual(Array.from({ length: 10 }, (_, i) => i + 2));
  });

  it('with marginal costs, stops at the params target', () => {
    const g = graph();
    const target = 0.3 * costForWidths(g, new Map()).params;
    const keep = planCut(g, scores(), { maxCut: Infinity, targetParams: target, marginalCost: true });
    const widths = new Map([...keep].map(([id, k]) => [id, k.length]));
    const params = costForWidths(g, widths).params;
    expect(params).toBeLessThanOrEqual(target);
    // One channel fewer would have been enough had the last removal not been needed.
    expect(params).toBeGreaterThan(target - 49);
  });
});
