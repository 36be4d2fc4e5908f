/**
 * Test helper: builds a one-operator TfliteModel by hand, so kernel specs run through the real
 * Interpreter on small cases. Tensors with `data` become constant buffers; the others become
 * graph inputs (in order). Not exported from the lib.
 */
import type {
  BuiltinOptions,
  QuantizationParams,
  Tensor,
  TensorTypeName,
  TfliteModel,
} from '../model/tflite-model';
import { Interpreter } from '../interpreter/interpreter';
import type { TensorData } from './kernel';

export interface TensorSpec {
  shape: number[];
  type: TensorTypeName;
  data?: readonly number[];
  scale?: number[];
  zeroPoint?: number[];
  quantizedDimension?: number;
}

const ARRAYS: Partial<Record<TensorTypeName, { from(values: readonly number[]): TensorData }>> = {
  INT8: Int8Array,
  UINT8: Uint8Array,
  INT16: Int16Array,
  INT32: Int32Array,
  FLOAT32: Float32Array,
};

/** Quantized tensor spec shorthand. */
export function q(
  shape: number[],
  scale: number | number[],
  zeroPoint: number | number[] = 0,
  data?: readonly number[],
): TensorSpec {
  const scales = Array.isArray(scale) ? scale : [scale];
  const zps = Array.isArray(zeroPoint) ? zeroPoint : scales.map(() => zeroPoint);
  return { shape, type: 'INT8', scale: scales, zeroPoint: zps, data };
}

/** One-operator model: `inputs` (null = omitted optional input) -> `outputs`. */
export function singleOpModel(
  opName: string,
  inputs: (TensorSpec | null)[],
  outputs: TensorSpec[],
  options?: BuiltinOptions,
): TfliteModel {
  const tensors: Tensor[] = [];
  const buffers: Uint8Array[] = [new Uint8Array(0)];
  const graphInputs: number[] = [];
  const add = (spec: TensorSpec, name: string): number => {
    let buffer = 0;
    if (spec.data) {
      const arr = ARRAYS[spec.type]!.from(spec.data);
      buffers.push(new Uint8Array(arr.buffer, arr.byteOffset, arr.byteLength));
      buffer = buffers.length - 1;
    }
    const quantization: QuantizationParams | undefined = spec.scale
      ? {
          scale: spec.scale,
          zeroPoint: spec.zeroPoint ?? spec.scale.map(() => 0),
          quantizedDimension: spec.quantizedDimension ?? 0,
        }
      : undefined;
    tensors.push({ name, shape: spec.shape, type: spec.type, buffer, quantization });
    return tensors.length - 1;
  };
  const opInputs = inputs.map((spec, i) => {
    if (!spec) return -1;
    const index = add(spec, `in${i}`);
    if (!spec.data) graphInputs.push(index);
    return index;
  });
  const opOutputs = outputs.map((spec, i) => add(spec, `out${i}`));
  return {
    version: 3,
    description: `single ${opName}`,
    operatorCodes: [{ builtinCode: opName, version: 1 }],
    subgraphs: [
      {
        name: 'main',
        tensors,
        inputs: graphInputs,
        outputs: opOutputs,
        operators: [{ opcodeIndex: 0, inputs: opInputs, outputs: opOutputs, options }],
      },
    ],
    buffers,
    metadata: [],
  };
}

/** Runs a one-operator model on number arrays and returns output 0 as plain numbers. */
export function runOp(model: TfliteModel, ...inputs: readonly number[][]): number[] {
  const out = new Interpreter(model).invokeAll(inputs);
  return Array.from(out[0]);
}
