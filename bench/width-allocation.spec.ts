import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { buildPruningGraph, type PruningGraph } from '@fleetprune/pruning';
import { allocationTable, keepLargest, type AllocationRow } from './width-allocation';

describe('keepLargest', () => {
  let model: tfl.Sequential;
  let graph: PruningGraph;
  let groups: string[];
  beforeAll(async () => {
    await tf.setBackend('cpu');
    model = tfl.sequential({
      layers: [
        tfl.layers.conv2d({ name: 'c', inputShape: [4, 4, 1], filters: 4, kernelSize: 3 }),
        tfl.layers.flatten({ name: 'f' }),
        tfl.layers.dense({ name: 'd', units: 3 }),
        tfl.layers.dense({ name: 'out', units: 2 }),
      ],
    });
    graph = buildPruningGraph(model);
    groups = [...graph.groups.values()].filter((g) => g.prunable).map((g) => g.id);
  });
  afterAll(() => model.dispose());

  it('keeps the highest-scoring channels of each group in index order, ties to the lower index', () => {
    const scores = new Map([
      [groups[0], new Float32Array([0.5, 3, 0.1, 3])],
      [groups[1], new Float32Array([2, 1, 2])],
    ]);
    const keep = keepLargest(graph, scores, [2, 1]);
    expect(keep.get(groups[0])).toEqual([1, 3]);
    expect(keep.get(groups[1])).toEqual([0]);
  });

  it('refuses widths that do not match the prunable groups', () => {
    const scores = new Map(groups.map((id) => [id, new Float32Array(4)]));
    expect(() => keepLargest(graph, scores, [2])).toThrow('1 widths given for 2 prunable groups');
    expect(() => keepLargest(graph, scores, [5, 1])).toThrow('has 4 channels, not 5');
  });
});

describe('allocationTable', () => {
  it('averages each allocation over its seeds and lists the best first', () => {
    const row = (widths: number[], seed: number, testAccuracy: number): AllocationRow => ({
      widths,
      seed,
      epochs: 5,
      params: 100,
      testAccuracy,
      wallTimeS: 1,
      backend: 'cpu',
    });
    const table = allocationTable([row([1, 2], 2, 0.9), row([3, 4], 1, 0.95), row([1, 2], 1, 0.8)]);
    const lines = table.split('\n');
    expect(lines[2]).toBe('| 3, 4 | 5 | 100 | 95.00 (s1) | 95.00 |');
    expect(lines[3]).toBe('| 1, 2 | 5 | 100 | 80.00 (s1), 90.00 (s2) | 85.00 |');
  });
});
