import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { PruningGraph } from '../graph/pruning-graph';
import { channelReductions } from '../scoring/channel-reductions';

/** Strengths of the sparsity regularisers (0 turns one off). */
export interface SparsityPenaltyOptions {
  /** Group lasso: sum over channels of the L2 norm of all its coupled weights. Default 1e-3. */
  readonly groupLasso?: number;
  /** L1 on BatchNorm gamma (network slimming, Liu et al. 2017). Default 1e-4. */
  readonly batchNormL1?: number;
}

/**
 * Sparsity loss for prunable groups: `groupLasso * sum_c ||W_c||_2 + batchNormL1 * sum |gamma|`,
 * where W_c is every conv/dense/depthwise weight indexed by channel c (producer kernel slice,
 * bias, consumer input rows). Call inside the gradient tape; scale by a strength schedule.
 */
export function sparsityPenalty(
  model: tfl.LayersModel,
  graph: PruningGraph,
  options: SparsityPenaltyOptions = {},
): tf.Scalar {
  const groupLasso = options.groupLasso ?? 1e-3;
  const batchNormL1 = options.batchNormL1 ?? 1e-4;
  const batchNorms = new Set(graph.nodes.filter((n) => n.kind === 'batchnorm').map((n) => n.name));
  const prunable = (id: string): boolean => graph.groups.get(id)?.prunable === true;
  const terms: tf.Scalar[] = [];
  if (groupLasso > 0) {
    const squares = channelReductions(model, graph, 'square', (b) => !batchNorms.has(b.layer));
    for (const [id, sq] of squares) {
      // The epsilon keeps the gradient of the norm finite once a channel reaches zero.
      if (prunable(id)) terms.push(tf.mul(tf.sum(tf.sqrt(tf.add(sq, 1e-12))), groupLasso));
    }
  }
  if (batchNormL1 > 0) {
    const gammas = channelReductions(
      model,
      graph,
      'abs',
      (b) => batchNorms.has(b.layer) && b.role === 'gamma',
    );
    for (const [id, l1] of gammas) if (prunable(id)) terms.push(tf.mul(tf.sum(l1), batchNormL1));
  }
  return terms.length > 0 ? (tf.addN(terms) as tf.Scalar) : tf.scalar(0);
}
