import { foldBatchNorm } from './fold-batch-norm';
import { activationParams, quantizeBias, quantizeInt8, quantizeWeightsLastAxis } from './quant-math';

describe('quant-math', () => {
  describe(activationParams.name, () => {
    it('gives scale 1/255 and zero point -128 for x/255 inputs in [0, 1]', () => {
      expect(activationParams(0, 1)).toEqual({ scale: 1 / 255, zeroPoint: -128 });
    });

    it('widens a range to include 0 so that 0 quantizes exactly', () => {
      const p = activationParams(2, 6); // becomes [0, 6]
      expect(p.scale).toBeCloseTo(6 / 255, 12);
      expect(p.zeroPoint).toBe(-128);
      const n = activationParams(-3, -1); // becomes [-3, 0]
      expect(n.zeroPoint).toBe(127);
      const mid = activationParams(-1, 3);
      expect(mid.zeroPoint).toBe(Math.round(-128 + 1 / mid.scale));
      expect(mid.scale * (quantizeInt8(0, mid) - mid.zeroPoint)).toBe(0);
    });

    it('keeps a positive scale for an all-zero tensor', () => {
      expect(activationParams(0, 0).scale).toBeGreaterThan(0);
    });
  });

  describe(quantizeWeightsLastAxis.name, () => {
    // 2 rows x 3 channels, channel on the last axis as in every TF.js kernel layout.
    const w = Float32Array.of(0.5, -2, 0.01, -0.25, 1, 0);
    it('uses max|w|/127 per channel in [-127, 127] with zero point 0', () => {
      const q = quantizeWeightsLastAxis(w, 3, true);
      expect(q.scales[0]).toBeCloseTo(0.5 / 127, 12);
      expect(q.scales[1]).toBeCloseTo(2 / 127, 12);
      expect(q.scales[2]).toBe(Math.fround(0.01) / 127);
      expect(Array.from(q.values)).toEqual([127, -127, 127, -64, 64, 0]);
    });

    it('uses one scale for the whole tensor when per-tensor', () => {
      const q = quantizeWeightsLastAxis(w, 3, false);
      expect(q.scales).toEqual([2 / 127]);
      expect(Array.from(q.values)).toEqual([32, -127, 1, -16, 64, 0]);
    });
  });

  describe(quantizeBias.name, () => {
    it('quantizes at input_scale * weight_scale per channel', () => {
      const b = quantizeBias(Float32Array.of(0.1, -0.3), 0.02, [0.01, 0.5]);
      expect(b.scales[0]).toBeCloseTo(0.0002, 15);
      expect(b.scales[1]).toBeCloseTo(0.01, 15);
      expect(Array.from(b.values)).toEqual([500, -30]);
    });
  });

  describe(foldBatchNorm.name, () => {
    it('computes w*gamma/sqrt(var+eps) and (b-mean)*gamma/sqrt(var+eps)+beta per channel', () => {
      const bn = {
        gamma: Float32Array.of(2, 0.5),
        beta: Float32Array.of(1, -1),
        movingMean: Float32Array.of(0.5, 2),
        movingVariance: Float32Array.of(3, 0.25),
        epsilon: 1,
      };
      const { kernel, bias } = foldBatchNorm(Float32Array.of(1, 2, 3, 4), Float32Array.of(0, 1), bn);
      // k = [2/2, 0.5/sqrt(1.25)]
      const k1 = 0.5 / Math.sqrt(1.25);
      expect(Array.from(kernel)).toEqual(Array.from(Float32Array.of(1, 2 * k1, 3, 4 * k1)));
      expect(bias[0]).toBeCloseTo(0.5, 6);
      expect(bias[1]).toBeCloseTo((1 - 2) * k1 - 1, 6);
    });
  });
});
