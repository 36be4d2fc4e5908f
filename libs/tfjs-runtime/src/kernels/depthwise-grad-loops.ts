import type { WindowGeometry } from './conv-geometry';

// Depthwise layout: filter [KH,KW,C,M], output channel c*M+m reads input channel c.

/** dW[kh,kw,c,m] = sum over n,oh,ow of x[n,ih,iw,c] * dy[n,oh,ow,c*M+m]; inner loops walk contiguous channels. */
export function depthwiseBackpropFilterLoops(
  x: Float32Array,
  dy: Float32Array,
  g: WindowGeometry,
  dw: Float32Array,
): Float32Array {
  const { inHeight: H, inWidth: W, inChannels: C, outHeight: Ho, outWidth: Wo, outChannels: CM } = g;
  const { filterHeight: KH, filterWidth: KW, strideHeight: sH, strideWidth: sW } = g;
  const { dilationHeight: dH, dilationWidth: dW, padTop, padLeft } = g;
  const M = CM / C;
  for (let n = 0; n < g.batch; n++) {
    for (let oh = 0; oh < Ho; oh++) {
      for (let ow = 0; ow < Wo; ow++) {
        const dyBase = ((n * Ho + oh) * Wo + ow) * CM;
        for (let kh = 0; kh < KH; kh++) {
          const ih = oh * sH + kh * dH - padTop;
          if (ih < 0 || ih >= H) continue;
          for (let kw = 0; kw < KW; kw++) {
            const iw = ow * sW + kw * dW - padLeft;
            if (iw < 0 || iw >= W) continue;
            const xBase = ((n * H + ih) * W + iw) * C;
            const wBase = (kh * KW + kw) * CM;
            for (let c = 0; c < C; c++) {
              const xv = x[xBase + c];
              for (let m = 0; m < M; m++) dw[wBase + c * M + m] += xv * dy[dyBase + c * M + m];
            }
          }
        }
      }
    }
  }
  return dw;
}

/** dx[n,ih,iw,c] = sum over windows and m of dy[n,oh,ow,c*M+m] * f[kh,kw,c,m], scattered per output pixel. */
export function depthwiseBackpropInputLoops(
  dy: Float32Array,
  filter: Float32Array,
  g: WindowGeometry,
  dx: Float32Array,
): Float32Array {
  const { inHeight: H, inWidth: W, inChannels: C, outHeight: Ho, outWidth: Wo, outChannels: CM } = g;
  const { filterHeight: KH, filterWidth: KW, strideHeight: sH, strideWidth: sW } = g;
  const { dilationHeight: dH, dilationWidth: dW, padTop, padLeft } = g;
  const M = CM / C;
  for (let n = 0; n < g.batch; n++) {
    for (let oh = 0; oh < Ho; oh++) {
      for (let ow = 0; ow < Wo; ow++) {
        const dyBase = ((n * Ho + oh) * Wo + ow) * CM;
        for (let kh = 0; kh < KH; kh++) {
          const ih = oh * sH + kh * dH - padTop;
          if (ih < 0 || ih >= H) continue;
          for (let kw = 0; kw < KW; kw++) {
            const iw = ow * sW + kw * dW - padLeft;
            if (iw < 0 || iw >= W) continue;
            const xBase = ((n * H + ih) * W + iw) * C;
            const wBase = (kh * KW + kw) * CM;
            for (let c = 0; c < C; c++) {
              let acc = 0;
              for (let m = 0; m < M; m++) acc += dy[dyBase + c * M + m] * filter[wBase + c * M + m];
              dx[xBase + c] += acc;
            }
          }
        }
      }
    }
  }
  return dx;
}
