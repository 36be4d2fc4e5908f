/**
 * Builds the full-int8 TfliteModel from a calibrated FloatGraph: one INT8 tensor per activation
 * (buffer 0), constant int8 filters / int32 biases / int32 shape and axis tensors with their own
 * buffers, and operators with the converter's options and versions.
 */
import type {
  Operator,
  OperatorCode,
  QuantizationParams,
  Tensor,
  TensorTypeName,
} from '../model/tflite-model';
import type { BuiltinOptions, TfliteModel } from '../model/tflite-model';
import type { FloatConvOp, FloatDenseOp, FloatGraph, FloatOp } from './float-graph';
import { INT8_OP_VERSIONS } from './op-versions';
import {
  activationParams,
  type AffineParams,
  perTensorQuantization,
  quantizeBias,
  quantizeWeightsLastAxis,
  symmetricQuantization,
} from './quant-math';
import type { QuantizeOptions } from './quantize-options';

/** SOFTMAX int8 output is fixed by TFLite: scale 1/256, zero point -128 (covers [0, 1)). */
export const SOFTMAX_OUTPUT: Readonly<AffineParams> = Object.freeze({ scale: 1 / 256, zeroPoint: -128 });

/** Per-value int8 params: own range, or inherited where TFLite requires equal in/out params. */
export function chooseValueParams(graph: FloatGraph, ranges: Array<[number, number]>): AffineParams[] {
  const params: AffineParams[] = ranges.map(([lo, hi]) => activationParams(lo, hi));
  for (const op of graph.ops) {
    if (op.kind === 'maxPool' || op.kind === 'avgPool' || op.kind === 'reshape') {
      params[op.output] = params[op.inputs[0]];
    } else if (op.kind === 'softmax') {
      params[op.output] = { ...SOFTMAX_OUTPUT };
    }
  }
  return params;
}

function bytesOf(a: Int8Array | Int32Array): Uint8Array {
  return new Uint8Array(a.buffer.slice(a.byteOffset, a.byteOffset + a.byteLength));
}

/** Reorders a row-major [d0, d1, d2, d3] array to [d3, d0, d1, d2] (HWIO -> OHWI). */
function lastAxisFirst(src: Int8Array, shape: number[]): Int8Array {
  const inner = shape.slice(0, -1).reduce((a, b) => a * b, 1);
  const outer = shape[shape.length - 1];
  const dst = new Int8Array(src.length);
  for (let i = 0; i < inner; i++) for (let o = 0; o < outer; o++) dst[o * inner + i] = src[i * outer + o];
  return dst;
}

class ModelBuilder {
  readonly tensors: Tensor[] = [];
  readonly buffers: Uint8Array[] = [new Uint8Array(0)];
  readonly operatorCodes: OperatorCode[] = [];
  readonly operators: Operator[] = [];

  constant(
    name: string,
    type: TensorTypeName,
    shape: number[],
    data: Uint8Array,
    q?: QuantizationParams,
  ): number {
    this.buffers.push(data);
    this.tensors.push({
      name,
      shape,
      type,
      buffer: this.buffers.length - 1,
      ...(q ? { quantization: q } : {}),
    });
    return this.tensors.length - 1;
  }

  op(code: string, inputs: number[], outputs: number[], options?: BuiltinOptions): void {
    let index = this.operatorCodes.findIndex((c) => c.builtinCode === code);
    if (index < 0) {
      this.operatorCodes.push({ builtinCode: code, version: INT8_OP_VERSIONS[code] ?? 1 });
      index = this.operatorCodes.length - 1;
    }
    this.operators.push({ opcodeIndex: index, inputs, outputs, ...(options ? { options } : {}) });
  }
}

function weightedOp(
  b: ModelBuilder,
  op: FloatConvOp | FloatDenseOp,
  inScale: number,
  perChannelDense: boolean,
): number[] {
  const channels = op.bias.length;
  const perChannel = op.kind !== 'dense' || perChannelDense;
  const w = quantizeWeightsLastAxis(op.kernel, channels, perChannel);
  const bias = quantizeBias(op.bias, inScale, w.scales);
  let filter: Int8Array;
  let shape: number[];
  let qdim = 0;
  if (op.kind === 'conv2d') {
    const [kh, kw, cin, cout] = op.kernelShape;
    filter = lastAxisFirst(w.values, op.kernelShape);
    shape = [cout, kh, kw, cin];
  } else if (op.kind === 'depthwise') {
    // [kh, kw, in, mult] flattened is already [1, kh, kw, in*mult] with channel c*mult+m.
    const [kh, kw] = op.kernelShape;
    filter = w.values;
    shape = [1, kh, kw, channels];
    qdim = 3;
  } else {
    filter = lastAxisFirst(w.values, op.kernelShape);
    shape = [op.kernelShape[1], op.kernelShape[0]];
  }
  const f = b.constant(
    `${op.name}/kernel`,
    'INT8',
    shape,
    bytesOf(filter),
    symmetricQuantization(w.scales, qdim),
  );
  const bb = b.constant(
    `${op.name}/bias`,
    'INT32',
    [channels],
    bytesOf(bias.values),
    symmetricQuantization(bias.scales, 0),
  );
  return [f, bb];
}

function emitOp(
  b: ModelBuilder,
  graph: FloatGraph,
  op: FloatOp,
  params: AffineParams[],
  opts: QuantizeOptions,
): void {
  const ins = op.inputs;
  const outs = [op.output];
  switch (op.kind) {
    case 'conv2d':
    case 'depthwise': {
      const [f, bias] = weightedOp(b, op, params[ins[0]].scale, opts.perChannelDense);
      const common = {
        padding: op.padding,
        strideH: op.strides[0],
        strideW: op.strides[1],
        dilationHFactor: op.dilation[0],
        dilationWFactor: op.dilation[1],
        fusedActivation: op.activation,
      };
      if (op.kind === 'conv2d')
        return b.op('CONV_2D', [ins[0], f, bias], outs, { kind: 'Conv2DOptions', ...common });
      return b.op('DEPTHWISE_CONV_2D', [ins[0], f, bias], outs, {
        kind: 'DepthwiseConv2DOptions',
        depthMultiplier: op.kernelShape[3],
        ...common,
      });
    }
    case 'dense': {
      const [f, bias] = weightedOp(b, op, params[ins[0]].scale, opts.perChannelDense);
      return b.op('FULLY_CONNECTED', [ins[0], f, bias], outs, {
        kind: 'FullyConnectedOptions',
        fusedActivation: op.activation,
        keepNumDims: false,
      });
    }
    case 'maxPool':
    case 'avgPool':
      return b.op(op.kind === 'maxPool' ? 'MAX_POOL_2D' : 'AVERAGE_POOL_2D', ins, outs, {
        kind: 'Pool2DOptions',
        padding: op.padding,
        strideH: op.strides[0],
        strideW: op.strides[1],
        filterHeight: op.pool[0],
        filterWidth: op.pool[1],
        fusedActivation: 'NONE',
      });
    case 'mean': {
      const axis = b.constant(`${op.name}/axis`, 'INT32', [2], bytesOf(Int32Array.of(1, 2)));
      return b.op('MEAN', [ins[0], axis], outs, { kind: 'ReducerOptions', keepDims: false });
    }
    case 'reshape': {
      const newShape = [...graph.values[op.output].shape];
      const shape = b.constant(
        `${op.name}/shape`,
        'INT32',
        [newShape.length],
        bytesOf(Int32Array.from(newShape)),
      );
      return b.op('RESHAPE', [ins[0], shape], outs, { kind: 'ReshapeOptions', newShape });
    }
    case 'softmax':
      return b.op('SOFTMAX', ins, outs, { kind: 'SoftmaxOptions', beta: 1 });
    case 'add':
      return b.op('ADD', ins, outs, { kind: 'AddOptions', fusedActivation: op.activation });
  }
}

/** The int8 TfliteModel of a calibrated graph (metadata added by the caller). */
export function buildTfliteModel(
  graph: FloatGraph,
  params: AffineParams[],
  opts: QuantizeOptions,
): TfliteModel {
  const b = new ModelBuilder();
  graph.values.forEach((v, i) => {
    b.tensors.push({
      name: v.name,
      shape: [...v.shape],
      type: 'INT8',
      buffer: 0,
      quantization: perTensorQuantization(params[i]),
    });
  });
  for (const op of graph.ops) emitOp(b, graph, op, params, opts);
  return {
    version: 3,
    description: opts.description,
    operatorCodes: b.operatorCodes,
    subgraphs: [
      {
        name: opts.subgraphName,
        tensors: b.tensors,
        inputs: [...graph.inputs],
        outputs: [...graph.outputs],
        operators: b.operators,
      },
    ],
    buffers: b.buffers,
    metadata: [],
  };
}
