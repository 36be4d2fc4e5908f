import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { buildFloatGraph } from './build-float-graph';
import { runFloatGraph } from './run-float-graph';
import { tinyResidualCnn } from './quantizer-test-models.spec-helper';
it('debug', async () => {
  await tf.setBackend('cpu');
  const model = tinyResidualCnn();
  const graph = buildFloatGraph(model);
  const names = ['r1', 'r2', 'sum', 'pool', 'c2', 'gap', 'logits'];
  const probe = tfl.model({ inputs: model.inputs, outputs: names.map((n) => model.getLayer(n).output as tfl.SymbolicTensor) });
  const x = tf.randomUniform([2, 12, 12, 2], -1, 1, 'float32', 3);
  const exp = (probe.predict(x) as tf.Tensor[]).map((t) => t.dataSync());
  const got = new Map<number, Float32Array>();
  runFloatGraph(graph, x, (v, t) => got.set(v, Float32Array.from(t.dataSync())));
  graph.ops.forEach((op) => {
    const i = names.indexOf(op.name);
    if (i < 0) return;
    const a = got.get(op.output)!;
    const e = exp[i];
    console.log(op.name, op.kind, a.length, e.length, a.reduce((m, v, k) => Math.max(m, Math.abs(v - e[k])), 0));
  });
  graph.ops.forEach((op) => console.log(op.name, op.kind, graph.values[op.output].name));
});
