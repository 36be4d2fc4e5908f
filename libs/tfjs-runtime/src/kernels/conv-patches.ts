import type { WindowGeometry } from './conv-geometry';

/**
 * Whether the im2col GEMM beats XNNPACK's convolution for a backprop: when the filter has no
 * more taps (KH*KW*Ci) than output channels, as in a first layer over 1-3 image channels.
 * The convolution forms then pack a filter as large as dy and compute a handful of channels
 * per pixel, well below XNNPACK's speed.
 */
export function gradByPatches(g: WindowGeometry): boolean {
  return g.filterHeight * g.filterWidth * g.inChannels <= g.outChannels;
}

/**
 * Visits every (output pixel, tap) pair whose window lies inside the image: `gather` copies
 * image values into the patch rows, otherwise patch values are added back onto the image.
 */
function walkPatches(g: WindowGeometry, image: Float32Array, patches: Float32Array, gather: boolean): void {
  const { inHeight: H, inWidth: W, inChannels: C, filterHeight: KH, filterWidth: KW } = g;
  const patch = KH * KW * C;
  let row = 0;
  for (let n = 0; n < g.batch; n++) {
    for (let oh = 0; oh < g.outHeight; oh++) {
      for (let ow = 0; ow < g.outWidth; ow++, row += patch) {
        for (let kh = 0; kh < KH; kh++) {
          const ih = oh * g.strideHeight + kh * g.dilationHeight - g.padTop;
          if (ih < 0 || ih >= H) continue;
          for (let kw = 0; kw < KW; kw++) {
            const iw = ow * g.strideWidth + kw * g.dilationWidth - g.padLeft;
            if (iw < 0 || iw >= W) continue;
            const pixel = ((n * H + ih) * W + iw) * C;
            const tap = row + (kh * KW + kw) * C;
            if (gather) for (let c = 0; c < C; c++) patches[tap + c] = image[pixel + c];
            else for (let c = 0; c < C; c++) image[pixel + c] += patches[tap + c];
          }
        }
      }
    }
  }
}

/**
 * The im2col matrix of a convolution's input: one row per output pixel (n, oh, ow), one column
 * per filter tap (kh, kw, ci) in the filter's own order, zero where the window hangs over the
 * padding. `out` must hold batch*outHeight*outWidth * filterHeight*filterWidth*inChannels floats.
 */
export function convPatches(x: Float32Array, g: WindowGeometry, out: Float32Array): Float32Array {
  out.fill(0);
  walkPatches(g, x, out, true);
  return out;
}

/**
 * The adjoint of convPatches (col2im): adds each row's taps back onto the input pixels they
 * were read from, so overlapping windows accumulate. `out` is the input-shaped gradient.
 */
export function addPatches(patches: Float32Array, g: WindowGeometry, out: Float32Array): Float32Array {
  out.fill(0);
  walkPatches(g, out, patches, false);
  return out;
}
