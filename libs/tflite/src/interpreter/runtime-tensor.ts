/** Turns model tensors into runtime tensors: typed storage (weights copied out of the buffers once) plus float32 quantization. */
import type { TensorTypeName, TfliteModel } from '../model/tflite-model';
import type { RuntimeTensor, TensorData } from '../kernels/kernel';
import { TfliteError } from '../tflite-error';

type TypedArrayConstructor = {
  new (length: number): TensorData;
  new (buffer: ArrayBuffer, byteOffset: number, length: number): TensorData;
  readonly BYTES_PER_ELEMENT: number;
};

const STORAGE: Partial<Record<TensorTypeName, TypedArrayConstructor>> = {
  INT8: Int8Array,
  UINT8: Uint8Array,
  BOOL: Uint8Array,
  INT16: Int16Array,
  INT32: Int32Array,
  FLOAT32: Float32Array,
  FLOAT64: Float64Array,
};

/** The typed-array class that holds elements of `type`; throws UNSUPPORTED_TYPE for others. */
export function storageFor(type: TensorTypeName, what: string): TypedArrayConstructor {
  const ctor = STORAGE[type];
  if (!ctor) {
    throw new TfliteError(
      'UNSUPPORTED_TYPE',
      `${what} has type ${type}; the reference interpreter holds only ${Object.keys(STORAGE).join(', ')} tensors`,
    );
  }
  return ctor;
}

/** Number of elements of a shape (1 for a scalar). */
export function elementCount(shape: readonly number[]): number {
  return shape.reduce((n, d) => n * d, 1);
}

const constants = new WeakMap<TfliteModel, Map<Uint8Array, TensorData>>();

/** Copies bytes into fresh, aligned storage (a buffer's offset in the file need not be aligned). */
function copyOf(bytes: Uint8Array, Ctor: TypedArrayConstructor, count: number): TensorData {
  const copy = new Uint8Array(bytes.length);
  copy.set(bytes);
  return new Ctor(copy.buffer, 0, count);
}

function sharedConstant(
  model: TfliteModel,
  bytes: Uint8Array,
  Ctor: TypedArrayConstructor,
  count: number,
): TensorData {
  let perModel = constants.get(model);
  if (!perModel) {
    perModel = new Map();
    constants.set(model, perModel);
  }
  let data = perModel.get(bytes);
  if (!data || data.constructor !== Ctor) {
    data = copyOf(bytes, Ctor, count);
    perModel.set(bytes, data);
  }
  return data;
}

/** Builds the runtime form of tensor `index` of subgraph `subgraphIndex`. */
export function createRuntimeTensor(model: TfliteModel, subgraphIndex: number, index: number): RuntimeTensor {
  const t = model.subgraphs[subgraphIndex].tensors[index];
  const what = `tensor ${index} '${t.name}'`;
  if (t.shape.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new TfliteError(
      'INVALID_MODEL',
      `${what} has an invalid shape [${t.shape.join(',')}]; dynamic shapes are not supported`,
    );
  }
  const Ctor = storageFor(t.type, what);
  const count = elementCount(t.shape);
  const bytes = t.buffer > 0 ? model.buffers[t.buffer] : undefined;
  const isConstant = bytes !== undefined && bytes.length > 0 && !t.isVariable;
  let data: TensorData;
  if (bytes !== undefined && bytes.length > 0) {
    if (bytes.length !== count * Ctor.BYTES_PER_ELEMENT) {
      throw new TfliteError(
        'INVALID_MODEL',
        `${what} needs ${count * Ctor.BYTES_PER_ELEMENT} bytes of ${t.type} for shape [${t.shape.join(',')}], buffer ${t.buffer} has ${bytes.length}`,
      );
    }
    // Read-only weights are shared by every interpreter of the same model object (a simulated
    // fleet runs thousands); variable tensors get their own copy of the initial value.
    data = isConstant ? sharedConstant(model, bytes, Ctor, count) : copyOf(bytes, Ctor, count);
  } else {
    data = new Ctor(count);
  }
  const q = t.quantization;
  return {
    index,
    name: t.name,
    type: t.type,
    shape: [...t.shape],
    data,
    // Scales live in the file as float32; the kernels' arithmetic depends on that rounding.
    scale: q ? q.scale.map((s) => Math.fround(s)) : [],
    zeroPoint: q ? [...q.zeroPoint] : [],
    quantizedDimension: q?.quantizedDimension ?? 0,
    isConstant,
  };
}
