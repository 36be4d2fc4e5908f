import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { costForWidths } from '../cost/model-cost';
import { buildPruningGraph } from '../graph/build-pruning-graph';
import { blobMlp } from '../testing/tiny-models';
import { channelFloors, planCut } from './cut-plan';

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

  it('stops at the params target and leaves every group its floor', () => {
    const g = graph();
    const target = 0.3 * costForWidths(g, new Map()).params;
    const keep = planCut(g, scores(), {
      maxCut: Infinity,
      targetParams: target,
      floors: channelFloors(g, 2, 0),
    });
    const widths = new Map([...keep].map(([id, k]) => [id, k.length]));
    expect(costForWidths(g, widths).params).toBeLessThanOrEqual(target);
    for (const k of keep.values()) expect(k.length).toBeGreaterThanOrEqual(2);
  });

  it("keeps a share of each group's original width, so the cut moves to the other groups", () => {
    const g = graph();
    // h1 has 16 channels and h2 12: a quarter keeps ceil(4) and ceil(3).
    expect(channelFloors(g, 1, 0.25)).toEqual(
      new Map([
        ['h1', 4],
        ['h2', 3],
      ]),
    );
    expect(channelFloors(g, 5, 0.25)).toEqual(
      new Map([
        ['h1', 5],
        ['h2', 5],
      ]),
    );
    // Every h2 score is below the h1 scores at the same rank, so without a floor h2 goes first.
    const lowH2 = new Map([
      ['h1', Float32Array.from({ length: 16 }, () => 1)],
      ['h2', Float32Array.from({ length: 12 }, () => 0)],
    ]);
    const open = planCut(g, lowH2, { maxCut: 12, floors: channelFloors(g, 1, 0) });
    expect(open.get('h2')).toHaveLength(1);
    const floored = planCut(g, lowH2, { maxCut: 12, floors: channelFloors(g, 1, 0.25) });
    expect(floored.get('h2')).toHaveLength(3);
    expect(floored.get('h1')).toHaveLength(16 - 3);
  });
});
