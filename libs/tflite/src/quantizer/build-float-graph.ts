/**
 * Walks a TF.js LayersModel (Sequential or functional) from its outputs back to its inputs and
 * produces the FloatGraph the quantizer works on: BatchNormalization folded into the preceding
 * Conv2D / DepthwiseConv2D / Dense, ReLU / ReLU6 fused into the producing op, Dropout dropped,
 * Flatten / Reshape as RESHAPE, softmax as SOFTMAX, GlobalAveragePooling2D as MEAN.
 */
import type * as tfl from '@tensorflow/tfjs-layers';
import type { FusedActivation } from '../model/tflite-model';
import { TfliteError } from '../tflite-error';
import { foldBatchNorm } from './fold-batch-norm';
import type { FloatGraph, FloatOp, FusableOp } from './float-graph';
import { activationName, configOf, layerError, weightsOf } from './layer-config';
import { convOp, denseOp, poolOp } from './layer-ops';
import { supportedLayersHint } from './supported-layers';

type Layer = tfl.layers.Layer;
type SymbolicTensor = tfl.SymbolicTensor;

/** Symbolic tensors in dependency order, and how many consumers (incl. model outputs) each has. */
function topoOrder(model: tfl.LayersModel): { order: SymbolicTensor[]; uses: Map<number, number> } {
  const order: SymbolicTensor[] = [];
  const seen = new Set<number>();
  const uses = new Map<number, number>();
  const visit = (st: SymbolicTensor): void => {
    if (seen.has(st.id)) return;
    seen.add(st.id);
    for (const i of st.inputs) {
      uses.set(i.id, (uses.get(i.id) ?? 0) + 1);
      visit(i);
    }
    order.push(st);
  };
  for (const out of model.outputs) {
    uses.set(out.id, (uses.get(out.id) ?? 0) + 1);
    visit(out);
  }
  return { order, uses };
}

function batchOne(shape: (number | null)[]): number[] {
  return shape.map((d, i) => (i === 0 ? 1 : (d ?? -1)));
}

class GraphBuilder {
  readonly graph: FloatGraph = { values: [], ops: [], inputs: [], outputs: [] };
  private readonly valueOf = new Map<number, number>();
  private readonly producer = new Map<number, FloatOp>();

  constructor(private readonly uses: Map<number, number>) {}

  value(st: SymbolicTensor): number {
    const v = this.valueOf.get(st.id);
    if (v === undefined)
      throw new TfliteError('INVALID_MODEL', `tensor '${st.name}' is used before it is produced.`);
    return v;
  }

  newValue(st: SymbolicTensor, name: string): number {
    const shape = batchOne(st.shape);
    if (shape.some((d) => d < 1)) {
      throw layerError(
        st.sourceLayer,
        `has an output of unknown shape [${st.shape.join(',')}]; give the model a fixed input shape.`,
      );
    }
    this.graph.values.push({ name, shape });
    const id = this.graph.values.length - 1;
    this.valueOf.set(st.id, id);
    return id;
  }

  alias(st: SymbolicTensor, value: number): void {
    this.valueOf.set(st.id, value);
  }

  addOp(op: FloatOp): void {
    this.graph.ops.push(op);
    this.producer.set(op.output, op);
  }

  /** The op producing `st` when a following BN / activation may be merged into it. */
  fusionTarget(st: SymbolicTensor): FloatOp | undefined {
    if ((this.uses.get(st.id) ?? 0) !== 1) return undefined;
    return this.producer.get(this.value(st));
  }

  /** Applies a Keras activation to `value` (produced for `st`); returns the resulting value. */
  activate(layer: Layer, st: SymbolicTensor, value: number, name: string, fromAttribute: boolean): number {
    if (name === 'linear') return value;
    if (name === 'relu' || name === 'relu6') {
      const target = fromAttribute ? this.producer.get(value) : this.fusionTarget(st.inputs[0]);
      if (!isFusable(target) || target.activation !== 'NONE') {
        throw layerError(
          layer,
          `applies ${name} where it cannot be fused; place it right after a Conv2D, DepthwiseConv2D, Dense or Add whose output nothing else uses. ${supportedLayersHint()}`,
        );
      }
      target.activation = name === 'relu' ? 'RELU' : 'RELU6';
      return value;
    }
    if (name === 'softmax') {
      const v = this.graph.values[value];
      this.graph.values.push({ name: `${layer.name}/softmax`, shape: [...v.shape] });
      const out = this.graph.values.length - 1;
      this.addOp({ kind: 'softmax', name: layer.name, inputs: [value], output: out });
      return out;
    }
    throw layerError(
      layer,
      `uses activation '${name}'; only relu, relu6, softmax and linear convert. ${supportedLayersHint()}`,
    );
  }
}

function isFusable(op: FloatOp | undefined): op is FusableOp {
  return (
    op !== undefined &&
    (op.kind === 'conv2d' || op.kind === 'depthwise' || op.kind === 'dense' || op.kind === 'add')
  );
}

function foldBn(b: GraphBuilder, layer: Layer, st: SymbolicTensor): void {
  const input = st.inputs[0];
  const target = b.fusionTarget(input);
  if (
    !target ||
    !(target.kind === 'conv2d' || target.kind === 'depthwise' || target.kind === 'dense') ||
    target.activation !== 'NONE'
  ) {
    throw layerError(
      layer,
      'cannot be folded; place BatchNormalization right after a Conv2D, DepthwiseConv2D or Dense with linear activation whose output nothing else uses.',
    );
  }
  const cfg = configOf(layer);
  const axis = Number(cfg.axis ?? -1);
  if (axis !== -1 && axis !== input.rank - 1)
    throw layerError(layer, `normalises axis ${axis}; only the channel (last) axis folds.`);
  const w = weightsOf(layer);
  const channels = target.bias.length;
  const ones = new Float32Array(channels).fill(1);
  const zeros = new Float32Array(channels);
  const gamma = cfg.scale === false ? ones : w.shift()!;
  const beta = cfg.center === false ? zeros : w.shift()!;
  const [movingMean, movingVariance] = w;
  const folded = foldBatchNorm(target.kernel, target.bias, {
    gamma,
    beta,
    movingMean,
    movingVariance,
    epsilon: Number(cfg.epsilon ?? 1e-3),
  });
  target.kernel = folded.kernel;
  target.bias = folded.bias;
  b.alias(st, b.value(input));
}

function convert(b: GraphBuilder, st: SymbolicTensor): void {
  const layer = st.sourceLayer;
  const cls = layer.getClassName();
  const ins = st.inputs.map((i) => b.value(i));
  const channelsOf = (i: number): number => st.inputs[i].shape[st.inputs[i].rank - 1] ?? -1;
  switch (cls) {
    case 'InputLayer':
      b.graph.inputs.push(b.newValue(st, layer.name));
      return;
    case 'Dropout':
      return b.alias(st, ins[0]);
    case 'Conv2D':
    case 'DepthwiseConv2D':
    case 'Dense': {
      if (cls === 'Dense' && st.inputs[0].rank !== 2) {
        throw layerError(layer, `gets a rank-${st.inputs[0].rank} input; add a Flatten before it.`);
      }
      const out = b.newValue(st, layer.name);
      b.addOp(
        cls === 'Dense'
          ? denseOp(layer, ins[0], out, channelsOf(0))
          : convOp(layer, ins[0], out, channelsOf(0)),
      );
      const act = activationName(layer);
      const result = b.activate(layer, st, out, act, true);
      if (result !== out) b.alias(st, result);
      return;
    }
    case 'MaxPooling2D':
    case 'AveragePooling2D':
      return b.addOp(poolOp(layer, ins[0], b.newValue(st, layer.name)));
    case 'GlobalAveragePooling2D':
      return b.addOp({ kind: 'mean', name: layer.name, inputs: ins, output: b.newValue(st, layer.name) });
    case 'Flatten':
    case 'Reshape':
      return b.addOp({ kind: 'reshape', name: layer.name, inputs: ins, output: b.newValue(st, layer.name) });
    case 'BatchNormalization':
      return foldBn(b, layer, st);
    case 'ReLU': {
      const max = configOf(layer).maxValue;
      const name =
        max === null || max === undefined ? 'relu' : max === 6 ? 'relu6' : `relu(max ${String(max)})`;
      return b.alias(st, b.activate(layer, st, ins[0], name, false));
    }
    case 'Activation':
      return b.alias(st, b.activate(layer, st, ins[0], activationName(layer), false));
    case 'Softmax': {
      const axis = Number(configOf(layer).axis ?? -1);
      if (axis !== -1 && axis !== st.rank - 1)
        throw layerError(layer, `takes softmax over axis ${axis}; only the last axis converts.`);
      return b.alias(st, b.activate(layer, st, ins[0], 'softmax', false));
    }
    case 'Add': {
      if (ins.length !== 2)
        throw layerError(layer, `adds ${ins.length} tensors; TFLite ADD takes exactly 2.`);
      const out = b.newValue(st, layer.name);
      const activation: FusedActivation = 'NONE';
      return b.addOp({ kind: 'add', name: layer.name, inputs: ins, output: out, activation });
    }
    default:
      throw layerError(layer, `is not supported by the int8 quantizer. ${supportedLayersHint()}`);
  }
}

/** Builds the fused float graph of `model` (weights read now, so later training does not leak in). */
export function buildFloatGraph(model: tfl.LayersModel): FloatGraph {
  const { order, uses } = topoOrder(model);
  const b = new GraphBuilder(uses);
  for (const st of order) convert(b, st);
  b.graph.outputs = model.outputs.map((o) => b.value(o));
  if (b.graph.inputs.length !== 1) {
    throw new TfliteError(
      'UNSUPPORTED_LAYER',
      `model has ${b.graph.inputs.length} inputs; the quantizer takes single-input models.`,
    );
  }
  return b.graph;
}
