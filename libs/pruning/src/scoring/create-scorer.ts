import type * as tfl from '@tensorflow/tfjs-layers';
import { PruningGraph } from '../graph/pruning-graph';
import { ImportanceScorer, ScorerName } from './importance-scorer';
import { L1NormScorer } from './l1-norm-scorer';
import { RandomScorer } from './random-scorer';
import { ScoreNormalization } from './score-normalization';
import { TaylorEstimate, TaylorScorer } from './taylor-scorer';

/** A fresh scorer of the named kind for `model` (make a new one after every cut). */
export function createScorer(
  name: ScorerName,
  model: tfl.LayersModel,
  graph: PruningGraph,
  options: { seed: number; normalization?: ScoreNormalization; taylorEstimate?: TaylorEstimate },
): ImportanceScorer {
  switch (name) {
    case 'taylor':
      return new TaylorScorer(graph, {
        normalization: options.normalization,
        estimate: options.taylorEstimate,
      });
    case 'l1':
      return new L1NormScorer(model, graph, options.normalization);
    case 'random':
      return new RandomScorer(graph, options.seed);
  }
}
