import type { DepthwiseConv2DOptions } from '../model/tflite-model';
import { depthwiseConv2dKernel } from './depthwise-conv-2d';
import { q, runOp, singleOpModel } from './single-op-model.spec-helper';

const opts = (o: Partial<DepthwiseConv2DOptions> = {}): DepthwiseConv2DOptions => ({
  kind: 'DepthwiseConv2DOptions',
  padding: 'VALID',
  strideW: 1,
  strideH: 1,
  depthMultiplier: 1,
  dilationWFactor: 1,
  dilationHFactor: 1,
  fusedActivation: 'NONE',
  ...o,
});
const range = (n: number, f: (i: number) => number = (i) => i): number[] =>
  Array.from({ length: n }, (_, i) => f(i));

/** Naive depthwise conv with unit scales: output channel oc reads input channel floor(oc / multiplier). */
function naiveDepthwise(
  x: number[],
  [h, w, cin]: number[],
  f: number[],
  k: number,
  m: number,
  stride: number,
  pad: [number, number],
  out: [number, number],
): number[] {
  const res: number[] = [];
  for (let oy = 0; oy < out[0]; oy++)
    for (let ox = 0; ox < out[1]; ox++)
      for (let oc = 0; oc < cin * m; oc++) {
        let acc = 0;
        for (let ky = 0; ky < k; ky++)
          for (let kx = 0; kx < k; kx++) {
            const [iy, ix] = [oy * stride + ky - pad[0], ox * stride + kx - pad[1]];
            if (iy >= 0 && iy < h && ix >= 0 && ix < w)
              acc += f[(ky * k + kx) * cin * m + oc] * x[(iy * w + ix) * cin + Math.floor(oc / m)];
          }
        res.push(Math.max(-128, Math.min(127, acc)));
      }
  return res;
}

describe(depthwiseConv2dKernel.name, () => {
  it('maps output channel c*M+m to input channel c (depth multiplier 2)', () => {
    const x = range(3 * 3 * 2, (i) => (i % 7) - 3);
    const f = range(2 * 2 * 4, (i) => (i % 5) - 2);
    const model = singleOpModel(
      'DEPTHWISE_CONV_2D',
      [q([1, 3, 3, 2], 1), { ...q([1, 2, 2, 4], [1, 1, 1, 1], 0, f), quantizedDimension: 3 }, null],
      [q([1, 2, 2, 4], 1)],
      opts({ depthMultiplier: 2 }),
    );
    expect(runOp(model, x)).toEqual(naiveDepthwise(x, [3, 3, 2], f, 2, 2, 1, [0, 0], [2, 2]));
  });

  it('handles a person_detect-like first layer: 1 input channel, multiplier 8, SAME, stride 2', () => {
    const x = range(5 * 5, (i) => ((i * 37) % 41) - 20);
    const f = range(3 * 3 * 8, (i) => ((i * 13) % 9) - 4);
    const model = singleOpModel(
      'DEPTHWISE_CONV_2D',
      [
        q([1, 5, 5, 1], 1),
        {
          ...q(
            [1, 3, 3, 8],
            range(8, () => 1),
            0,
            f,
          ),
          quantizedDimension: 3,
        },
        null,
      ],
      [q([1, 3, 3, 8], 1)],
      opts({ padding: 'SAME', strideW: 2, strideH: 2, depthMultiplier: 8 }),
    );
    // 5 -> 3 with stride 2 and a 3x3 window: total padding 2, one pixel before.
    expect(runOp(model, x)).toEqual(naiveDepthwise(x, [5, 5, 1], f, 3, 8, 2, [1, 1], [3, 3]));
  });

  it('subtracts the input zero point inside the image only, adds bias, clamps to RELU6', () => {
    const model = singleOpModel(
      'DEPTHWISE_CONV_2D',
      [
        q([1, 1, 2, 1], 0.5, 10),
        { ...q([1, 1, 3, 1], [0.5], 0, [1, 1, 1]), quantizedDimension: 3 },
        { shape: [1], type: 'INT32', data: [4] },
      ],
      [q([1, 1, 2, 1], 0.25, -100)],
      opts({ padding: 'SAME', fusedActivation: 'RELU6' }),
    );
    // x - zp = [2, 30]; sums over the clipped window: 32 + 4 = 36 for both; real 36 * 0.25 = 9 -> 36 codes,
    // but RELU6 caps at 6 / 0.25 = 24 codes above the zero point.
    expect(runOp(model, [12, 40])).toEqual([-76, -76]);
  });

  it('rejects a multiplier that contradicts the shapes', () => {
    const model = singleOpModel(
      'DEPTHWISE_CONV_2D',
      [q([1, 2, 2, 2], 1), { ...q([1, 1, 1, 4], [1], 0, [1, 1, 1, 1]), quantizedDimension: 3 }, null],
      [q([1, 2, 2, 4], 1)],
      opts({ depthMultiplier: 3 }),
    );
    expect(() => runOp(model, range(8))).toThrow(
      /DEPTHWISE_CONV_2D \(op 0\): output depth 4 must be input depth 2 x depth_multiplier 3/,
    );
  });
});
