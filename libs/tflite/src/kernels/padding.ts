/** Output size and padding for SAME/VALID windows, as TFLite's padding.h computes them. */
import type { Padding } from '../model/tflite-model';

/** Output extent of one spatial dimension. */
export function computeOutSize(
  padding: Padding,
  inSize: number,
  filterSize: number,
  stride: number,
  dilation = 1,
): number {
  const effectiveFilter = (filterSize - 1) * dilation + 1;
  if (stride === 0) return 0;
  return padding === 'SAME'
    ? Math.trunc((inSize + stride - 1) / stride)
    : Math.trunc((inSize + stride - effectiveFilter) / stride);
}

/** Padding before the first element of one dimension (TFLite puts the odd extra pixel after). */
export function computePadding(
  stride: number,
  dilation: number,
  inSize: number,
  filterSize: number,
  outSize: number,
): number {
  const effectiveFilter = (filterSize - 1) * dilation + 1;
  const total = (outSize - 1) * stride + effectiveFilter - inSize;
  return total > 0 ? Math.trunc(total / 2) : 0;
}
