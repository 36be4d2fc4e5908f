import * as tf from '@tensorflow/tfjs-core';
import { backend_util } from '@tensorflow/tfjs-core';
import { pick, randomValues, seeded, type GradCase } from './grad-check.spec-helper';

type Pad = 'same' | 'valid' | [[0, 0], [number, number], [number, number], [0, 0]];

function randomPad(next: () => number): Pad {
  const kind = pick(next, ['same', 'valid', 'explicit'] as const);
  if (kind !== 'explicit') return kind;
  const p = () => Math.floor(next() * 3);
  return [
    [0, 0],
    [p(), p()],
    [p(), p()],
    [0, 0],
  ];
}

type Shape4 = [number, number, number, number];

// Shapes come from tfjs-core's own rules, so cases can be built before any backend exists.
function convOutShape(
  x: number[],
  w: number[],
  s: number | [number, number],
  pad: Pad,
  depthwise: boolean,
): number[] {
  return backend_util.computeConv2DInfo(x as Shape4, w as Shape4, s, 1, pad, undefined, depthwise).outShape;
}

function describePad(pad: Pad): string {
  return typeof pad === 'string' ? pad : `pads ${JSON.stringify([pad[1], pad[2]])}`;
}

/** One conv2d case with random values; undefined when the shapes leave no output. */
export function conv2dCase(
  next: () => number,
  xShape: number[],
  wShape: number[],
  strides: number | [number, number],
  pad: Pad,
): GradCase | undefined {
  const outShape = convOutShape(xShape, wShape, strides, pad, false);
  if (outShape.some((d) => d <= 0)) return undefined;
  const weights = randomValues(next, outShape);
  return {
    label: `x[${xShape}] w[${wShape}] s${strides} ${describePad(pad)}`,
    inputs: [
      { shape: xShape, values: randomValues(next, xShape) },
      { shape: wShape, values: randomValues(next, wShape) },
    ],
    f: (x, f) =>
      tf.mul(tf.conv2d(x as tf.Tensor4D, f as tf.Tensor4D, strides, pad), tf.tensor(weights, outShape)),
  };
}

/** Whether a conv2d case's filter has no more taps than outputs: the kernels' im2col path. */
export function takesPatchPath(c: GradCase): boolean {
  const [kh, kw, ci, co] = c.inputs[1].shape;
  return kh * kw * ci <= co;
}

/** Random conv2d cases (batch, sizes, channels, kernel, stride 1/2, same/valid/explicit padding). */
export function conv2dCases(seed: number, count: number): GradCase[] {
  const next = seeded(seed);
  const cases: GradCase[] = [];
  for (let i = 0; i < count; i++) {
    const n = pick(next, [1, 2, 3, 5]);
    const h = 3 + Math.floor(next() * 8);
    const w = 3 + Math.floor(next() * 8);
    const ci = pick(next, [1, 2, 3, 8]);
    const co = pick(next, [1, 4, 7, 16]);
    const kh = Math.min(pick(next, [1, 2, 3, 3, 5]), h);
    const kw = Math.min(pick(next, [1, 2, 3, 3]), w);
    const strides: [number, number] = [pick(next, [1, 2]), pick(next, [1, 2])];
    const pad = randomPad(next);
    const c = conv2dCase(next, [n, h, w, ci], [kh, kw, ci, co], strides, pad);
    if (c !== undefined) cases.push(c);
  }
  return cases;
}

/** Random depthwise cases (channel multiplier 1-3); tfjs only differentiates dilation 1. */
export function depthwiseCases(seed: number, count: number): GradCase[] {
  const next = seeded(seed);
  const cases: GradCase[] = [];
  for (let i = 0; i < count; i++) {
    const n = pick(next, [1, 2, 4]);
    const h = 3 + Math.floor(next() * 7);
    const w = 3 + Math.floor(next() * 7);
    const c = pick(next, [1, 3, 8]);
    const m = pick(next, [1, 1, 2, 3]);
    const k = Math.min(pick(next, [1, 3, 3, 5]), h, w);
    const s = pick(next, [1, 2]);
    const pad = randomPad(next);
    const xShape = [n, h, w, c];
    const wShape = [k, k, c, m];
    const outShape = convOutShape(xShape, wShape, s, pad, true);
    if (outShape.some((d) => d <= 0)) continue;
    const weights = randomValues(next, outShape);
    cases.push({
      label: `x[${xShape}] w[${wShape}] s${s} ${describePad(pad)}`,
      inputs: [
        { shape: xShape, values: randomValues(next, xShape) },
        { shape: wShape, values: randomValues(next, wShape) },
      ],
      f: (x, f) =>
        tf.mul(tf.depthwiseConv2d(x as tf.Tensor4D, f as tf.Tensor4D, s, pad), tf.tensor(weights, outShape)),
    });
  }
  return cases;
}

/** Random max-pool cases; `ties` quantises inputs so windows hold equal maxima. */
export function maxPoolCases(seed: number, count: number, ties: boolean): GradCase[] {
  const next = seeded(seed);
  const cases: GradCase[] = [];
  for (let i = 0; i < count; i++) {
    const xShape = [
      pick(next, [1, 2, 5]),
      2 + Math.floor(next() * 9),
      2 + Math.floor(next() * 9),
      pick(next, [1, 3, 16]),
    ];
    const size = Math.min(pick(next, [2, 2, 3]), xShape[1], xShape[2]);
    const s = pick(next, [1, 2]);
    const pad = pick(next, ['same', 'valid', 1] as const);
    if (pad === 1 && size < 3) continue; // tfjs requires pad < filter size for numeric pads
    const values = randomValues(next, xShape).map((v) => (ties ? Math.round(v * 2) : v));
    const outShape = backend_util.computePool2DInfo(xShape as Shape4, size, s, 1, pad).outShape;
    const weights = randomValues(next, outShape);
    cases.push({
      label: `x[${xShape}] pool ${size} s${s} pad ${pad}${ties ? ' ties' : ''}`,
      inputs: [{ shape: xShape, values }],
      f: (x) => tf.mul(tf.maxPool(x as tf.Tensor4D, size, s, pad), tf.tensor(weights, outShape)),
    });
  }
  return cases;
}
