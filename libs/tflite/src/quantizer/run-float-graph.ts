/**
 * Float execution of a FloatGraph with TF.js ops, for calibration (every surviving activation's
 * range) and for checking that folding and fusion kept the model's function.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { FusedActivation } from '../model/tflite-model';
import type { FloatGraph, FloatOp } from './float-graph';

function activate(x: tf.Tensor, a: FusedActivation): tf.Tensor {
  if (a === 'RELU') return tf.relu(x);
  if (a === 'RELU6') return tf.relu6(x);
  return x;
}

function pad(p: 'SAME' | 'VALID'): 'same' | 'valid' {
  return p === 'SAME' ? 'same' : 'valid';
}

function runOp(op: FloatOp, ins: tf.Tensor[], outShape: number[], batch: number): tf.Tensor {
  const x = ins[0];
  switch (op.kind) {
    case 'conv2d':
    case 'depthwise': {
      const k = tf.tensor4d(op.kernel, op.kernelShape);
      const y =
        op.kind === 'conv2d'
          ? tf.conv2d(x as tf.Tensor4D, k, op.strides, pad(op.padding), 'NHWC', op.dilation)
          : tf.depthwiseConv2d(x as tf.Tensor4D, k, op.strides, pad(op.padding), 'NHWC', op.dilation);
      return activate(tf.add(y, tf.tensor1d(op.bias)), op.activation);
    }
    case 'dense': {
      const y = tf.matMul(x as tf.Tensor2D, tf.tensor2d(op.kernel, op.kernelShape));
      return activate(tf.add(y, tf.tensor1d(op.bias)), op.activation);
    }
    case 'maxPool':
      return tf.maxPool(x as tf.Tensor4D, op.pool, op.strides, pad(op.padding));
    case 'avgPool':
      return tf.avgPool(x as tf.Tensor4D, op.pool, op.strides, pad(op.padding));
    case 'mean':
      return tf.mean(x, [1, 2]);
    case 'reshape':
      return tf.reshape(x, [batch, ...outShape.slice(1)]);
    case 'softmax':
      return tf.softmax(x);
    case 'add':
      return activate(tf.add(x, ins[1]), op.activation);
  }
}

/**
 * Runs `graph` on a batch (`input` shaped [N, ...input shape]) and calls `visit` with every
 * value's tensor (graph input included) while it is alive; returns copies of the outputs' data.
 */
export function runFloatGraph(
  graph: FloatGraph,
  input: tf.Tensor,
  visit: (value: number, t: tf.Tensor) => void = () => undefined,
): Float32Array[] {
  return tf.tidy(() => {
    const live = new Map<number, tf.Tensor>();
    const batch = input.shape[0];
    live.set(graph.inputs[0], input);
    visit(graph.inputs[0], input);
    for (const op of graph.ops) {
      const ins = op.inputs.map((i) => live.get(i)!);
      const y = runOp(op, ins, graph.values[op.output].shape, batch);
      live.set(op.output, y);
      visit(op.output, y);
    }
    return graph.outputs.map((o) => Float32Array.from(live.get(o)!.dataSync()));
  });
}

/** Calibrated [min, max] per value, from running the graph over the representative set. */
export function calibrate(graph: FloatGraph, samples: tf.Tensor, batchSize: number): Array<[number, number]> {
  const ranges: Array<[number, number]> = graph.values.map(() => [Infinity, -Infinity]);
  const n = samples.shape[0];
  for (let start = 0; start < n; start += batchSize) {
    const size = Math.min(batchSize, n - start);
    const batch = tf.slice(samples, start, size);
    runFloatGraph(graph, batch, (v, t) => {
      const [lo, hi] = tf.tidy(() => [tf.min(t).dataSync()[0], tf.max(t).dataSync()[0]]);
      ranges[v][0] = Math.min(ranges[v][0], lo);
      ranges[v][1] = Math.max(ranges[v][1], hi);
    });
    batch.dispose();
  }
  return ranges;
}
