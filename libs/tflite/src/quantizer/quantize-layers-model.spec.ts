import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { readMinRuntimeVersion } from '../codec/runtime-version';
import { readModel } from '../codec/read-model';
import { writeModel } from '../codec/write-model';
import { Interpreter } from '../interpreter/interpreter';
import type { Operator, SubGraph, TfliteModel } from '../model/tflite-model';
import { buildFloatGraph } from './build-float-graph';
import { quantizeInt8 } from './quant-math';
import { quantizeLayersModel, type QuantizedTfliteModel } from './quantize-layers-model';
import { tinyResidualCnn } from './quantizer-test-models.spec-helper';
import { runFloatGraph } from './run-float-graph';

const opName = (m: TfliteModel, op: Operator): string => m.operatorCodes[op.opcodeIndex].builtinCode;
const scaleOf = (g: SubGraph, t: number): number => g.tensors[t].quantization!.scale[0];
const zpOf = (g: SubGraph, t: number): number => g.tensors[t].quantization!.zeroPoint[0];

describe(quantizeLayersModel.name, () => {
  const model = tinyResidualCnn();
  let samples: tf.Tensor4D;
  let q: QuantizedTfliteModel;
  let g: SubGraph;

  beforeAll(async () => {
    await tf.setBackend('cpu');
    samples = tf.randomUniform([120, 12, 12, 2], -1, 1, 'float32', 11);
    q = quantizeLayersModel(model, samples, { calibrationBatchSize: 40 });
    g = q.subgraphs[0];
  });

  it('emits the converter op sequence, versions and metadata', () => {
    expect(g.operators.map((op) => opName(q, op))).toEqual([
      'CONV_2D',
      'DEPTHWISE_CONV_2D',
      'ADD',
      'AVERAGE_POOL_2D',
      'DEPTHWISE_CONV_2D',
      'CONV_2D',
      'MEAN',
      'FULLY_CONNECTED',
      'SOFTMAX',
    ]);
    expect(Object.fromEntries(q.operatorCodes.map((c) => [c.builtinCode, c.version]))).toEqual({
      CONV_2D: 3,
      DEPTHWISE_CONV_2D: 3,
      ADD: 2,
      AVERAGE_POOL_2D: 2,
      MEAN: 2,
      FULLY_CONNECTED: 4,
      SOFTMAX: 2,
    });
    expect(q.description).toBe('fleetprune');
    expect(q.buffers[0].length).toBe(0);
    expect(readMinRuntimeVersion(q)).toBe('1.14.0');
    expect(q.buffers[q.metadata[0].buffer].length).toBe(16);
    expect(g.tensors.filter((t) => t.buffer === 0).every((t) => t.type === 'INT8')).toBe(true);
  });

  it('quantizes weights per channel, biases at input*weight scale, pools and softmax as TFLite requires', () => {
    const [conv, dw] = g.operators;
    const filter = g.tensors[conv.inputs[1]];
    expect(filter.shape).toEqual([4, 3, 3, 2]);
    expect(filter.quantization!.quantizedDimension).toBe(0);
    expect(filter.quantization!.scale).toHaveLength(4);
    expect(filter.quantization!.zeroPoint).toEqual([0, 0, 0, 0]);
    const w = new Int8Array(q.buffers[filter.buffer].buffer);
    for (let o = 0; o < 4; o++) {
      // Each channel's largest |w| maps to 127 exactly.
      expect(Math.max(...Array.from(w.subarray(o * 18, (o + 1) * 18), Math.abs))).toBe(127);
    }
    const dwFilter = g.tensors[dw.inputs[1]];
    expect(dwFilter.shape).toEqual([1, 3, 3, 4]);
    expect(dwFilter.quantization!.quantizedDimension).toBe(3);
    const dw2 = g.operators[4];
    expect(g.tensors[dw2.inputs[1]].shape).toEqual([1, 2, 2, 8]);
    expect(dw2.options).toMatchObject({
      kind: 'DepthwiseConv2DOptions',
      depthMultiplier: 2,
      fusedActivation: 'RELU',
    });
    expect(conv.options).toMatchObject({
      dilationHFactor: 2,
      dilationWFactor: 2,
      padding: 'SAME',
      fusedActivation: 'RELU',
    });
    for (const op of [conv, dw, g.operators[5], g.operators[7]]) {
      const bias = g.tensors[op.inputs[2]];
      const wq = g.tensors[op.inputs[1]].quantization!;
      expect(bias.type).toBe('INT32');
      expect(bias.quantization!.quantizedDimension).toBe(0);
      bias.quantization!.scale.forEach((s, c) =>
        expect(s).toBeCloseTo(scaleOf(g, op.inputs[0]) * wq.scale[c], 12),
      );
    }
    const fc = g.operators[7];
    expect(g.tensors[fc.inputs[1]].shape).toEqual([5, 6]);
    expect(g.tensors[fc.inputs[1]].quantization!.scale).toHaveLength(1);
    const pool = g.operators[3];
    expect(scaleOf(g, pool.outputs[0])).toBe(scaleOf(g, pool.inputs[0]));
    expect(zpOf(g, pool.outputs[0])).toBe(zpOf(g, pool.inputs[0]));
    const softmax = g.operators[8];
    expect([scaleOf(g, softmax.outputs[0]), zpOf(g, softmax.outputs[0])]).toEqual([1 / 256, -128]);
    expect(q.outputQuantization).toEqual({ scale: 1 / 256, zeroPoint: -128 });
    const mean = g.operators[6];
    expect(g.tensors[mean.inputs[1]].type).toBe('INT32');
    expect(Array.from(new Int32Array(q.buffers[g.tensors[mean.inputs[1]].buffer].buffer))).toEqual([1, 2]);
    expect(mean.options).toEqual({ kind: 'ReducerOptions', keepDims: false });
  });

  it('records input params from the calibrated range, with 0 representable', () => {
    const { scale, zeroPoint } = q.inputQuantization;
    const [lo, hi] = [tf.min(samples).dataSync()[0], tf.max(samples).dataSync()[0]];
    expect(scale).toBeCloseTo((hi - lo) / 255, 9);
    expect(zeroPoint).toBe(Math.round(-128 - lo / scale));
  });

  it('round-trips through writeModel/readModel and is deterministic to the byte', () => {
    const bytes = writeModel(q);
    const again = writeModel(quantizeLayersModel(model, samples, { calibrationBatchSize: 40 }));
    expect(Buffer.from(again).equals(Buffer.from(bytes))).toBe(true);
    const back = readModel(bytes);
    expect(back.subgraphs[0].operators.length).toBe(9);
    expect(writeModel(back)).toEqual(bytes);
  });

  it('runs in the int8 interpreter close to the float model (logits and softmax)', () => {
    const interpreter = new Interpreter(readModel(writeModel(q)), { recordIntermediates: true }).allocate();
    const graph = buildFloatGraph(model);
    const logitsValue = graph.ops[graph.ops.length - 2].output;
    const x = tf.slice(samples, 0, 30);
    let floatLogits = new Float32Array(0);
    const probs = runFloatGraph(graph, x, (v, t) => {
      if (v === logitsValue) floatLogits = Float32Array.from(t.dataSync());
    })[0];
    const xs = x.dataSync();
    const per = 12 * 12 * 2;
    const range = Math.max(...floatLogits) - Math.min(...floatLogits);
    let worstLogit = 0;
    let worstProb = 0;
    for (let n = 0; n < 30; n++) {
      const input = Int8Array.from(xs.subarray(n * per, (n + 1) * per), (v) =>
        quantizeInt8(v, q.inputQuantization),
      );
      interpreter.setInput(0, input);
      interpreter.invoke();
      const fc = interpreter.intermediates().find((r) => r.opName === 'FULLY_CONNECTED')!;
      const logits = Array.from(fc.data, (v) => fc.tensor.scale[0] * (v - fc.tensor.zeroPoint[0]));
      logits.forEach((v, i) => (worstLogit = Math.max(worstLogit, Math.abs(v - floatLogits[n * 5 + i]))));
      const y = Array.from(interpreter.output(0), (v) => (v + 128) / 256);
      y.forEach((v, i) => (worstProb = Math.max(worstProb, Math.abs(v - probs[n * 5 + i]))));
    }
    expect(range).toBeGreaterThan(0.1);
    expect(worstLogit).toBeLessThan(0.05 * range);
    expect(worstProb).toBeLessThan(0.02);
  });

  it('quantizes dense weights per channel on request', () => {
    const pc = quantizeLayersModel(model, samples, { perChannelDense: true });
    const fc = pc.subgraphs[0].operators[7];
    expect(pc.subgraphs[0].tensors[fc.inputs[1]].quantization!.scale).toHaveLength(5);
    expect(pc.subgraphs[0].tensors[fc.inputs[2]].quantization!.scale).toHaveLength(5);
  });

  it('rejects bad options and representative data that is not whole samples', () => {
    expect(() => quantizeLayersModel(model, samples, { calibrationBatchSize: 0 })).toThrow(
      /calibrationBatchSize/,
    );
    expect(() => quantizeLayersModel(model, new Float32Array(12 * 12 * 2 + 1))).toThrow(/whole number/);
  });
});
