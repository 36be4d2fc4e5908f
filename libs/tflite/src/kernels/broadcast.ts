/**
 * Element-wise broadcasting of two tensors (numpy rules, up to 6-D), as TFLite's
 * NdArrayDescsForElementwiseBroadcast: one stride per output dimension per input, 0 where
 * the input's extent is 1.
 */

/** Output shape plus each input's stride along every output dimension. */
export interface BroadcastPlan {
  shape: number[];
  strides1: number[];
  strides2: number[];
}

function stridesFor(shape: readonly number[], rank: number, outShape: readonly number[]): number[] {
  const padded = [...new Array<number>(rank - shape.length).fill(1), ...shape];
  const strides = new Array<number>(rank).fill(0);
  let stride = 1;
  for (let d = rank - 1; d >= 0; d--) {
    strides[d] = padded[d] === 1 && outShape[d] !== 1 ? 0 : stride;
    stride *= padded[d];
  }
  return strides;
}

/** Plans a broadcast; returns undefined when the shapes are incompatible. */
export function planBroadcast(a: readonly number[], b: readonly number[]): BroadcastPlan | undefined {
  const rank = Math.max(a.length, b.length, 1);
  const pa = [...new Array<number>(rank - a.length).fill(1), ...a];
  const pb = [...new Array<number>(rank - b.length).fill(1), ...b];
  const shape: number[] = [];
  for (let d = 0; d < rank; d++) {
    if (pa[d] !== pb[d] && pa[d] !== 1 && pb[d] !== 1) return undefined;
    shape.push(pa[d] === 1 ? pb[d] : pa[d]);
  }
  return { shape, strides1: stridesFor(a, rank, shape), strides2: stridesFor(b, rank, shape) };
}

/** Calls `visit(outIndex, index1, index2)` for every output element in row-major order. */
export function forEachBroadcast(
  plan: BroadcastPlan,
  visit: (o: number, i1: number, i2: number) => void,
): void {
  const { shape, strides1, strides2 } = plan;
  const rank = shape.length;
  const counter = new Array<number>(rank).fill(0);
  const total = shape.reduce((n, d) => n * d, 1);
  let i1 = 0;
  let i2 = 0;
  for (let o = 0; o < total; o++) {
    visit(o, i1, i2);
    // Odometer increment: carry into outer dimensions, rewinding the inner input offsets.
    for (let d = rank - 1; d >= 0; d--) {
      counter[d]++;
      i1 += strides1[d];
      i2 += strides2[d];
      if (counter[d] < shape[d]) break;
      i1 -= strides1[d] * shape[d];
      i2 -= strides2[d] * shape[d];
      counter[d] = 0;
    }
  }
}
