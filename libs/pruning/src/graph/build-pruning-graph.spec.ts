import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { PruningError } from '../pruning-error';
import { concatModel, residualModel, sequentialCnn } from '../testing/tiny-models';
import { buildPruningGraph } from './build-pruning-graph';
import { layoutWidth } from './channel-layout';

describe(buildPruningGraph.name, () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('gives each Sequential producer its own group and freezes input and output', () => {
    const graph = buildPruningGraph(sequentialCnn());
    const prunable = [...graph.groups.values()].filter((g) => g.prunable).map((g) => g.id);
    expect([...prunable].sort()).toEqual(['c1', 'c2', 'd1']);
    expect(graph.groups.get('out')?.prunable).toBe(false);
    expect([...(graph.groups.get('c2')?.members ?? [])].sort()).toEqual(['bn2', 'c2', 'd1']);
    const flat = graph.nodes.find((n) => n.name === 'flat');
    expect(flat?.outLayout.spatial).toBe(4);
    expect(layoutWidth(flat?.outLayout ?? { spatial: 0, segments: [] })).toBe(24);
  });

  it('ties every producer into an Add to one group and passes channels through depthwise', () => {
    const graph = buildPruningGraph(residualModel());
    const tied = [...graph.groups.values()].find((g) => g.producers.includes('b2'));
    expect(tied?.producers.slice().sort()).toEqual(['b2', 'stem']);
    expect(tied?.members.slice().sort()).toEqual(['b1', 'b2', 'bn_b2', 'bn_dw', 'bn_s', 'dw', 'pw', 'stem']);
    expect(graph.groups.get('b1')?.members.slice().sort()).toEqual(['b1', 'b2', 'bn_b1']);
    expect([...graph.groups.values()].filter((g) => g.prunable)).toHaveLength(3);
  });

  it('lays Concatenate inputs side by side and repeats channels for depth multiplier 2', () => {
    const graph = buildPruningGraph(concatModel());
    const dw = graph.nodes.find((n) => n.name === 'dw');
    expect(dw?.outLayout.segments.map((s) => [s.groupId, s.size, s.repeat])).toEqual([
      ['p', 3, 2],
      ['q', 4, 2],
    ]);
    expect(graph.groups.get('p')?.members.slice().sort()).toEqual(['bn_cat', 'c', 'dw', 'p']);
  });

  it('rejects an unknown layer by name and lists the supported ones', () => {
    const model = tfl.sequential({
      layers: [tfl.layers.conv1d({ name: 'odd', inputShape: [8, 2], filters: 2, kernelSize: 3 })],
    });
    expect(() => buildPruningGraph(model)).toThrow(PruningError);
    expect(() => buildPruningGraph(model)).toThrow(/"odd" \(Conv1D\).*Conv2D, Dense/);
  });
});
