import { PruningGraph } from '../graph/pruning-graph';
import { Rng, seededRng } from '../seeded-rng';
import { ImportanceScorer } from './importance-scorer';

/** Seeded uniform scores: the baseline a real scorer must beat. */
export class RandomScorer implements ImportanceScorer {
  readonly name = 'random';
  readonly needsGates = false;
  private readonly rng: Rng;

  constructor(
    private readonly graph: PruningGraph,
    seed: number,
  ) {
    this.rng = seededRng(seed);
  }

  observe(): void {
    // Random scores ignore the data by design.
  }

  scores(): Map<string, Float32Array> {
    const result = new Map<string, Float32Array>();
    for (const g of this.graph.groups.values()) {
      if (g.prunable)
        result.set(
          g.id,
          Float32Array.from({ length: g.size }, () => this.rng()),
        );
    }
    return result;
  }
}
