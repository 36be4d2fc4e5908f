/**
 * Turns one weighted or pooling layer into a FloatOp (weights copied, bias zero-filled when the
 * layer has none). Fusion of what follows is build-float-graph's job.
 */
import type * as tfl from '@tensorflow/tfjs-layers';
import type { FloatConvOp, FloatDenseOp, FloatPoolOp } from './float-graph';
import { configOf, layerError, pair, padding, requireChannelsLast, weightsOf } from './layer-config';

type Layer = tfl.layers.Layer;

/** Conv2D / DepthwiseConv2D as a FloatConvOp on `input` -> `output` (activation NONE). */
export function convOp(layer: Layer, input: number, output: number, inChannels: number): FloatConvOp {
  requireChannelsLast(layer);
  const depthwise = layer.getClassName() === 'DepthwiseConv2D';
  const [kernel, maybeBias] = weightsOf(layer);
  const [kh, kw] = pair(layer, 'kernelSize');
  const last = depthwise ? Number(configOf(layer).depthMultiplier ?? 1) : Number(configOf(layer).filters);
  if (kernel.length !== kh * kw * inChannels * last) {
    throw layerError(
      layer,
      `has a kernel of ${kernel.length} values, expected ${kh}x${kw}x${inChannels}x${last}.`,
    );
  }
  const channels = depthwise ? inChannels * last : last;
  const dilation = pair(layer, 'dilationRate', [1, 1]);
  if (depthwise && (dilation[0] !== 1 || dilation[1] !== 1)) {
    // tfjs-layers' DepthwiseConv2D.call passes no dilation to the op, so the trained TF.js model
    // computes an undilated convolution while its config (and Keras, and TFLite) say dilated.
    throw layerError(
      layer,
      `has dilationRate [${dilation.join(',')}], which TF.js Layers ignores when it runs DepthwiseConv2D; the float model and a TFLite conversion would disagree. Use dilationRate 1.`,
    );
  }
  return {
    kind: depthwise ? 'depthwise' : 'conv2d',
    name: layer.name,
    inputs: [input],
    output,
    kernel,
    kernelShape: [kh, kw, inChannels, last],
    bias: maybeBias ?? new Float32Array(channels),
    strides: pair(layer, 'strides', [1, 1]),
    dilation,
    padding: padding(layer),
    activation: 'NONE',
  };
}

/** Dense on a rank-2 input as a FloatDenseOp (activation NONE). */
export function denseOp(layer: Layer, input: number, output: number, inUnits: number): FloatDenseOp {
  const [kernel, maybeBias] = weightsOf(layer);
  const units = Number(configOf(layer).units);
  return {
    kind: 'dense',
    name: layer.name,
    inputs: [input],
    output,
    kernel,
    kernelShape: [inUnits, units],
    bias: maybeBias ?? new Float32Array(units),
    activation: 'NONE',
  };
}

/** MaxPooling2D / AveragePooling2D as a FloatPoolOp (strides default to the pool size). */
export function poolOp(layer: Layer, input: number, output: number): FloatPoolOp {
  requireChannelsLast(layer);
  const pool = pair(layer, 'poolSize', [2, 2]);
  return {
    kind: layer.getClassName() === 'MaxPooling2D' ? 'maxPool' : 'avgPool',
    name: layer.name,
    inputs: [input],
    output,
    pool,
    strides: pair(layer, 'strides', pool),
    padding: padding(layer),
  };
}
