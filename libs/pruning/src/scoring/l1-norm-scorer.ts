import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { PruningGraph } from '../graph/pruning-graph';
import { channelReductions } from './channel-reductions';
import { ImportanceScorer } from './importance-scorer';
import { normalizeScores, ScoreNormalization } from './score-normalization';

/** Magnitude baseline (Li et al. 2017): L1 norm of each channel's slice of its producers' kernels. */
export class L1NormScorer implements ImportanceScorer {
  readonly name = 'l1';
  readonly needsGates = false;

  constructor(
    private readonly model: tfl.LayersModel,
    private readonly graph: PruningGraph,
    private readonly normalization: ScoreNormalization = 'l2-cost',
  ) {}

  observe(): void {
    // Weights are read when scores are asked for; batches carry nothing this scorer uses.
  }

  scores(): Map<string, Float32Array> {
    const producers = new Set(this.graph.nodes.filter((n) => n.kind === 'producer').map((n) => n.name));
    const raw = new Map<string, Float32Array>();
    tf.tidy(() => {
      const sums = channelReductions(this.model, this.graph, 'abs', (b, a) => {
        return producers.has(b.layer) && b.role === 'kernel' && a.side === 'out';
      });
      for (const [id, t] of sums) {
        if (this.graph.groups.get(id)?.prunable) raw.set(id, t.dataSync() as Float32Array);
      }
    });
    return normalizeScores(raw, this.normalization, this.graph);
  }
}
