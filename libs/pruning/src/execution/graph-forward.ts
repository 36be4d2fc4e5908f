import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { PruningError } from '../pruning-error';
import { PruningGraph } from '../graph/pruning-graph';
import { GateMap, layoutGate } from './layout-gate';

/** How `forwardGraph` runs the model. */
export interface ForwardOptions {
  /** BatchNorm uses batch statistics (and updates moving ones); Dropout drops. Default false. */
  readonly training?: boolean;
  /** Gates multiplied into the inputs of channel-mixing layers (Conv2D, Dense). */
  readonly gates?: GateMap;
  /** Seed for this call's dropout masks; vary it per step. Default 0. */
  readonly dropoutSeed?: number;
}

/**
 * Runs the model layer by layer, like `model.apply`, but with gates on every edge into a
 * Conv2D/Dense, so d loss / d gate_c = sum over positions of activation_c * gradient_c, exactly
 * the quantity that removing channel c changes (a removed channel only reaches its consumers).
 * Dropout is seeded so a training run is reproducible.
 */
export function forwardGraph(
  model: tfl.LayersModel,
  graph: PruningGraph,
  input: tf.Tensor,
  options: ForwardOptions = {},
): tf.Tensor {
  if (graph.inputs.length !== 1 || graph.outputs.length !== 1) {
    throw new PruningError('UNSUPPORTED_TOPOLOGY', 'training needs a model with one input and one output');
  }
  const training = options.training ?? false;
  const values = new Map<string, tf.Tensor>();
  graph.nodes.forEach((node, position) => {
    if (node.kind === 'input') {
      values.set(node.name, input);
      return;
    }
    let inputs = node.inbound.map((name) => values.get(name) as tf.Tensor);
    if (node.consumer && options.gates) {
      const gates = options.gates;
      inputs = inputs.map((x, i) => {
        const gate = layoutGate(node.inLayouts[i], gates);
        if (!gate) return x;
        // A per-sample gate [batch, width] meets x [batch, ..., width]: broadcast over positions.
        if (gate.rank === 1) return tf.mul(x, gate);
        const [rows, width] = gate.shape as [number, number];
        return tf.mul(x, tf.reshape(gate, [rows, ...x.shape.slice(1, -1).map(() => 1), width]));
      });
    }
    const layer = model.getLayer(node.name);
    let output: tf.Tensor;
    if (node.className === 'Dropout') {
      const rate = Number(layer.getConfig().rate);
      output =
        training && rate > 0 ? dropout(inputs[0], rate, (options.dropoutSeed ?? 0) + position) : inputs[0];
    } else {
      output = layer.apply(inputs.length === 1 ? inputs[0] : inputs, { training }) as tf.Tensor;
    }
    values.set(node.name, output);
  });
  return values.get(graph.outputs[0]) as tf.Tensor;
}

function dropout(x: tf.Tensor, rate: number, seed: number): tf.Tensor {
  const keep = tf.greaterEqual(tf.randomUniform(x.shape, 0, 1, 'float32', seed), rate);
  return tf.div(tf.mul(x, tf.cast(keep, 'float32')), 1 - rate);
}
