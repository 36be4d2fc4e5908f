import type { Tensor, TensorTypeName } from '../model/tflite-model';

/** Bytes per element of each tensor type; STRING has no fixed size (0). */
export const TENSOR_TYPE_BYTES: Readonly<Record<TensorTypeName, number>> = {
  FLOAT32: 4,
  FLOAT16: 2,
  INT32: 4,
  UINT8: 1,
  INT64: 8,
  STRING: 0,
  BOOL: 1,
  INT16: 2,
  COMPLEX64: 8,
  INT8: 1,
  FLOAT64: 8,
};

/** Number of elements of a shape (1 for a scalar). */
export function elementCount(shape: readonly number[]): number {
  return shape.reduce((n, d) => n * d, 1);
}

/** Bytes a dense tensor of this shape and type occupies (0 for STRING). */
export function tensorByteSize(tensor: Pick<Tensor, 'shape' | 'type'>): number {
  return elementCount(tensor.shape) * TENSOR_TYPE_BYTES[tensor.type];
}
