/** Typed readers for the parts of TF.js Layers configs the quantizer needs. */
import type * as tfl from '@tensorflow/tfjs-layers';
import type { Padding } from '../model/tflite-model';
import { TfliteError } from '../tflite-error';

type Layer = tfl.layers.Layer;
type Config = Record<string, unknown>;

/** The layer's serialised config as a plain record. */
export function configOf(layer: Layer): Config {
  return layer.getConfig() as Config;
}

/** Builds an UNSUPPORTED_LAYER error that names the layer and says what to change. */
export function layerError(layer: Layer, why: string): TfliteError {
  return new TfliteError('UNSUPPORTED_LAYER', `layer '${layer.name}' (${layer.getClassName()}) ${why}`);
}

/** A number-or-pair config field (kernelSize, strides, dilationRate, poolSize) as [h, w]. */
export function pair(layer: Layer, key: string, fallback?: [number, number]): [number, number] {
  const v = configOf(layer)[key];
  if (typeof v === 'number') return [v, v];
  if (Array.isArray(v) && v.length === 2 && v.every((n) => typeof n === 'number')) {
    return [v[0] as number, v[1] as number];
  }
  if ((v === undefined || v === null) && fallback) return fallback;
  throw layerError(layer, `has an unreadable '${key}' (${JSON.stringify(v)}); expected a number or [h, w].`);
}

/** The layer's padding as the schema's SAME / VALID. */
export function padding(layer: Layer): Padding {
  const p = configOf(layer).padding;
  if (p === 'same') return 'SAME';
  if (p === 'valid') return 'VALID';
  throw layerError(layer, `uses padding '${String(p)}'; only 'same' and 'valid' convert to TFLite.`);
}

/** Rejects channels-first layers: TFLite kernels are NHWC only. */
export function requireChannelsLast(layer: Layer): void {
  const f = configOf(layer).dataFormat;
  if (f !== undefined && f !== null && f !== 'channelsLast') {
    throw layerError(layer, `uses dataFormat '${String(f)}'; rebuild it with 'channelsLast' (NHWC).`);
  }
}

/** The serialised activation name ('linear' when absent). */
export function activationName(layer: Layer, key = 'activation'): string {
  const a = configOf(layer)[key];
  if (a === undefined || a === null) return 'linear';
  if (typeof a === 'string') return a;
  throw layerError(layer, `has an unreadable activation ${JSON.stringify(a)}.`);
}

/** The layer's current weights as Float32Arrays, in `getWeights()` order. */
export function weightsOf(layer: Layer): Float32Array[] {
  return layer.getWeights().map((w) => Float32Array.from(w.dataSync()));
}
