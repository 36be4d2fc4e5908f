import {
  ActivationFunctionType,
  BuiltinOperator,
  Padding as PaddingCode,
  TensorType,
} from '../generated/tflite_generated';
import type { FusedActivation, Padding, TensorTypeName } from '../model/tflite-model';
import { TfliteError } from '../tflite-error';

// The model keeps enum values as schema names; these map them to and from file codes using
// the generated enums' reverse mappings, so the schema stays the single source of values.

const TENSOR_TYPES: readonly TensorTypeName[] = [
  'FLOAT32',
  'FLOAT16',
  'INT32',
  'UINT8',
  'INT64',
  'STRING',
  'BOOL',
  'INT16',
  'COMPLEX64',
  'INT8',
  'FLOAT64',
];
const ACTIVATIONS: readonly FusedActivation[] = ['NONE', 'RELU', 'RELU_N1_TO_1', 'RELU6', 'TANH', 'SIGN_BIT'];

/** Schema name of a tensor type code; types the model cannot hold are UNSUPPORTED_TYPE. */
export function tensorTypeName(code: number): TensorTypeName {
  const name = TensorType[code] as TensorTypeName | undefined;
  if (name === undefined || !TENSOR_TYPES.includes(name)) {
    throw new TfliteError(
      'UNSUPPORTED_TYPE',
      `tensor type ${name ?? code} is not supported; convert the model with int8/float32 tensors.`,
    );
  }
  return name;
}

/** File code of a tensor type name. */
export function tensorTypeCode(name: TensorTypeName): TensorType {
  const code = TensorType[name];
  if (code === undefined) throw new TfliteError('INVALID_MODEL', `unknown tensor type '${String(name)}'.`);
  return code;
}

/** Schema name of a builtin operator code, e.g. 3 -> 'CONV_2D'. */
export function builtinOperatorName(code: number): string {
  const name = BuiltinOperator[code] as string | undefined;
  if (name === undefined) {
    throw new TfliteError(
      'UNSUPPORTED_OP',
      `builtin operator code ${code} is unknown to this reader; update schema/tflite.fbs.`,
    );
  }
  return name;
}

/** File code of a builtin operator name, e.g. 'CONV_2D' -> 3. */
export function builtinOperatorCode(name: string): BuiltinOperator {
  const code = (BuiltinOperator as unknown as Record<string, number | undefined>)[name];
  if (typeof code !== 'number') {
    throw new TfliteError(
      'UNSUPPORTED_OP',
      `'${name}' is not a BuiltinOperator name; use the schema's spelling.`,
    );
  }
  return code;
}

/** Padding name of a file code. */
export function paddingName(code: number): Padding {
  if (code === PaddingCode.SAME) return 'SAME';
  if (code === PaddingCode.VALID) return 'VALID';
  throw new TfliteError('CORRUPT_FILE', `padding code ${code} is not SAME or VALID. Re-export the model.`);
}

/** File code of a padding name. */
export function paddingCode(name: Padding): PaddingCode {
  return name === 'SAME' ? PaddingCode.SAME : PaddingCode.VALID;
}

/** Fused activation name of a file code. */
export function activationName(code: number): FusedActivation {
  const name = ACTIVATIONS[code];
  if (name === undefined) {
    throw new TfliteError('CORRUPT_FILE', `fused activation code ${code} is unknown. Re-export the model.`);
  }
  return name;
}

/** File code of a fused activation name. */
export function activationCode(name: FusedActivation): ActivationFunctionType {
  const code = ActivationFunctionType[name];
  if (code === undefined)
    throw new TfliteError('INVALID_MODEL', `unknown fused activation '${String(name)}'.`);
  return code;
}
