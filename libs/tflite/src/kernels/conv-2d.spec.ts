import type { Conv2DOptions } from '../model/tflite-model';
import { TfliteError } from '../tflite-error';
import { conv2dKernel } from './conv-2d';
import { multiplyByQuantizedMultiplier, quantizeMultiplier } from './fixed-point';
import { q, runOp, singleOpModel, type TensorSpec } from './single-op-model.spec-helper';

const opts = (o: Partial<Conv2DOptions> = {}): Conv2DOptions => ({
  kind: 'Conv2DOptions',
  padding: 'SAME',
  strideW: 1,
  strideH: 1,
  dilationWFactor: 1,
  dilationHFactor: 1,
  fusedActivation: 'NONE',
  ...o,
});
const range = (n: number, f: (i: number) => number = (i) => i): number[] =>
  Array.from({ length: n }, (_, i) => f(i));
const int32 = (shape: number[], data: number[]): TensorSpec => ({ shape, type: 'INT32', data });

describe(conv2dKernel.name, () => {
  it('SAME padding with stride 2 puts the odd padding row/column after the image', () => {
    // 4x4 image 1..16, 3x3 ones; windows cover rows/cols {0,1,2} and {2,3}; output scale 2 halves the sums.
    const model = singleOpModel(
      'CONV_2D',
      [
        q([1, 4, 4, 1], 1),
        q(
          [1, 3, 3, 1],
          [1],
          0,
          range(9, () => 1),
        ),
        null,
      ],
      [q([1, 2, 2, 1], 2)],
      opts({ strideW: 2, strideH: 2 }),
    );
    // 54/2, 45/2 = 22.5 -> 23 (ties away from zero), 72/2, 54/2
    expect(
      runOp(
        model,
        range(16, (i) => i + 1),
      ),
    ).toEqual([27, 23, 36, 27]);
  });

  it('VALID padding with stride 2 uses only whole windows', () => {
    const model = singleOpModel(
      'CONV_2D',
      [q([1, 5, 5, 1], 1, -3), q([1, 2, 2, 1], 1, 0, [1, 0, 0, -1]), null],
      [q([1, 2, 2, 1], 1)],
      opts({ padding: 'VALID', strideW: 2, strideH: 2 }),
    );
    // x[r][c] = 5r + c (real value = q + 3); each output is x[r][c] - x[r+1][c+1] = -6.
    expect(
      runOp(
        model,
        range(25, (i) => i - 3),
      ),
    ).toEqual([-6, -6, -6, -6]);
  });

  it('requantizes each output channel with its own scale, adds bias and applies RELU', () => {
    const model = singleOpModel(
      'CONV_2D',
      [
        q([1, 1, 1, 2], 0.5),
        { ...q([3, 1, 1, 2], [1, 0.25, 1], 0, [2, 1, 2, 1, -4, -4]), quantizedDimension: 0 },
        int32([3], [10, 0, 0]),
      ],
      [q([1, 1, 1, 3], 1, -10)],
      opts({ fusedActivation: 'RELU' }),
    );
    // x = [4, 6] (real 2, 3); acc = [2*4+6+10, 2*4+6, -40]; scales 0.5, 0.125, 0.5
    expect(runOp(model, [4, 6])).toEqual([-10 + 12, -10 + 2, -10]);
  });

  it('agrees within one code with real arithmetic on a random layer', () => {
    let seed = 42;
    const rnd = (lo: number, hi: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return lo + (seed % (hi - lo + 1));
    };
    const [h, w, cin, cout, k] = [6, 5, 3, 4, 3];
    const x = range(h * w * cin, () => rnd(-128, 127));
    const f = range(cout * k * k * cin, () => rnd(-127, 127));
    const bias = range(cout, () => rnd(-2000, 2000));
    const [sx, sy, sf] = [0.02, 0.09, [0.003, 0.004, 0.0025, 0.005]];
    const [zx, zy] = [-5, 7];
    const model = singleOpModel(
      'CONV_2D',
      [
        q([1, h, w, cin], sx, zx),
        { ...q([cout, k, k, cin], sf, 0, f), quantizedDimension: 0 },
        int32([cout], bias),
      ],
      [q([1, 3, 3, cout], sy, zy)],
      opts({ strideW: 2, strideH: 2 }),
    );
    const got = runOp(model, x);
    const expected: number[] = [];
    for (let oy = 0; oy < 3; oy++)
      for (let ox = 0; ox < 3; ox++)
        for (let oc = 0; oc < cout; oc++) {
          let acc = bias[oc];
          for (let ky = 0; ky < k; ky++)
            for (let kx = 0; kx < k; kx++)
              for (let ic = 0; ic < cin; ic++) {
                // SAME: rows need 1 pad (after), columns 2 (1 before, 1 after).
                const [iy, ix] = [oy * 2 + ky, ox * 2 + kx - 1];
                if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
                acc += f[((oc * k + ky) * k + kx) * cin + ic] * (x[(iy * w + ix) * cin + ic] - zx);
              }
          expected.push(Math.min(127, Math.max(-128, Math.round((acc * sx * sf[oc]) / sy) + zy)));
        }
    got.forEach((v, i) => expect(Math.abs(v - expected[i])).toBeLessThanOrEqual(1));
  });

  it('matches a tap-by-tap integer reference exactly where padding and dilation cut the window', () => {
    let seed = 7;
    const rnd = (lo: number, hi: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return lo + (seed % (hi - lo + 1));
    };
    const [h, w, cin, cout, k, dil] = [7, 6, 5, 9, 3, 2];
    const x = range(h * w * cin, () => rnd(-128, 127));
    const f = range(cout * k * k * cin, () => rnd(-127, 127));
    const bias = range(cout, () => rnd(-5000, 5000));
    const sf = range(cout, (i) => 0.002 + i * 0.0007);
    const [sx, sy, zx, zy] = [0.05, 0.2, 17, -9];
    const model = singleOpModel(
      'CONV_2D',
      [
        q([1, h, w, cin], sx, zx),
        { ...q([cout, k, k, cin], sf, 0, f), quantizedDimension: 0 },
        int32([cout], bias),
      ],
      [q([1, h, w, cout], sy, zy)],
      opts({ dilationHFactor: dil, dilationWFactor: dil }),
    );
    const expected: number[] = [];
    for (let oy = 0; oy < h; oy++)
      for (let ox = 0; ox < w; ox++)
        for (let oc = 0; oc < cout; oc++) {
          let acc = bias[oc];
          for (let ky = 0; ky < k; ky++)
            for (let kx = 0; kx < k; kx++) {
              // SAME with dilation 2: the 5-wide effective window is centred, 2 pad each side.
              const [iy, ix] = [oy + ky * dil - 2, ox + kx * dil - 2];
              if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
              for (let ic = 0; ic < cin; ic++)
                acc += f[((oc * k + ky) * k + kx) * cin + ic] * (x[(iy * w + ix) * cin + ic] - zx);
            }
          const m = quantizeMultiplier((Math.fround(sx) * Math.fround(sf[oc])) / Math.fround(sy));
          const v = multiplyByQuantizedMultiplier(acc, m.multiplier, m.shift) + zy;
          expected.push(Math.min(127, Math.max(-128, v)));
        }
    expect(runOp(model, x)).toEqual(expected);
  });

  it('runs grouped convolution with dilation, each group reading its own input channels', () => {
    // 2 groups of 2 input channels, 2 filters per group; 2x2 window dilated by 2 on a 5x5 image, VALID.
    const x = range(5 * 5 * 4, (i) => ((i * 29) % 23) - 11);
    const f = range(4 * 2 * 2 * 2, (i) => ((i * 7) % 5) - 2);
    const model = singleOpModel(
      'CONV_2D',
      [q([1, 5, 5, 4], 1), { ...q([4, 2, 2, 2], [1, 1, 1, 1], 0, f), quantizedDimension: 0 }, null],
      [q([1, 3, 3, 4], 1)],
      opts({ padding: 'VALID', dilationHFactor: 2, dilationWFactor: 2 }),
    );
    const expected: number[] = [];
    for (let oy = 0; oy < 3; oy++)
      for (let ox = 0; ox < 3; ox++)
        for (let oc = 0; oc < 4; oc++) {
          const group = Math.floor(oc / 2);
          let acc = 0;
          for (let ky = 0; ky < 2; ky++)
            for (let kx = 0; kx < 2; kx++)
              for (let ic = 0; ic < 2; ic++) {
                const xi = ((oy + 2 * ky) * 5 + (ox + 2 * kx)) * 4 + group * 2 + ic;
                acc += f[((oc * 2 + ky) * 2 + kx) * 2 + ic] * x[xi];
              }
          expected.push(Math.max(-128, Math.min(127, acc)));
        }
    expect(runOp(model, x)).toEqual(expected);
  });

  it('rejects an asymmetric filter, naming the op and what it needs', () => {
    const model = singleOpModel(
      'CONV_2D',
      [q([1, 2, 2, 1], 1), q([1, 1, 1, 1], 1, 3, [1]), null],
      [q([1, 2, 2, 1], 1)],
      opts(),
    );
    expect(() => runOp(model, [1, 2, 3, 4])).toThrow(TfliteError);
    expect(() => runOp(model, [1, 2, 3, 4])).toThrow(
      /CONV_2D \(op 0\): filter must be int8 per-channel .* zero point 0/,
    );
  });

  it('rejects an output shape that does not follow from padding and stride', () => {
    const model = singleOpModel(
      'CONV_2D',
      [q([1, 4, 4, 1], 1), q([1, 3, 3, 1], 1, 0, range(9)), null],
      [q([1, 4, 4, 1], 1)],
      opts({ strideW: 2, strideH: 2 }),
    );
    expect(() => runOp(model, range(16))).toThrow(/does not match SAME padding/);
  });
});
