/** Element type of an IDX file, named after the JavaScript typed array that holds it. */
export type IdxType = 'uint8' | 'int8' | 'int16' | 'int32' | 'float32' | 'float64';

interface IdxArrayOf<T extends IdxType, D> {
  /** Dimension sizes, outermost first (IDX order, e.g. `[60000, 28, 28]`). */
  dims: number[];
  type: T;
  /** Row-major elements in host byte order; owns its buffer (never a view into the input). */
  data: D;
}

/** A parsed IDX tensor; `type` tells which typed array `data` is. */
export type IdxArray =
  | IdxArrayOf<'uint8', Uint8Array>
  | IdxArrayOf<'int8', Int8Array>
  | IdxArrayOf<'int16', Int16Array>
  | IdxArrayOf<'int32', Int32Array>
  | IdxArrayOf<'float32', Float32Array>
  | IdxArrayOf<'float64', Float64Array>;

/** Limits that keep a hostile IDX header from forcing a huge allocation. */
export interface IdxLimits {
  /** Largest data section (element count x element size) accepted, in bytes. Default 256 MiB. */
  maxDataBytes: number;
  /** Largest rank accepted (the header allows 255). Default 8. */
  maxRank: number;
}

/**
 * Default limits: 256 MiB covers Fashion-MNIST's largest file (47,040,016 bytes) with room for
 * bigger IDX sets such as EMNIST, and stays far below what a 2 GB device or CI box can hold.
 */
export const DEFAULT_IDX_LIMITS: Readonly<IdxLimits> = Object.freeze({
  maxDataBytes: 256 * 1024 * 1024,
  maxRank: 8,
});

/** IDX type byte (third byte of the magic number) -> element type and size in bytes. */
export const IDX_TYPE_CODES: ReadonlyMap<number, { type: IdxType; size: number }> = new Map([
  [0x08, { type: 'uint8', size: 1 }],
  [0x09, { type: 'int8', size: 1 }],
  [0x0b, { type: 'int16', size: 2 }],
  [0x0c, { type: 'int32', size: 4 }],
  [0x0d, { type: 'float32', size: 4 }],
  [0x0e, { type: 'float64', size: 8 }],
]);
