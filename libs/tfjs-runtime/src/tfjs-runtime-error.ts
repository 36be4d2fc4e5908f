/** Machine-readable reasons a runtime call can fail. */
export type TfjsRuntimeErrorCode =
  | 'NO_BACKEND'
  | 'UNKNOWN_BACKEND'
  | 'UNSUPPORTED_LAYOUT'
  | 'UNSUPPORTED_DTYPE'
  | 'KERNEL_MISSING'
  | 'WASM_FILES_MISSING'
  | 'INVALID_MODEL_FILES';

/** The one error class of libs/tfjs-runtime; messages start with `TFJS runtime:` and say what to do. */
export class TfjsRuntimeError extends Error {
  constructor(
    readonly code: TfjsRuntimeErrorCode,
    detail: string,
  ) {
    super(`TFJS runtime: ${detail}`);
    this.name = 'TfjsRuntimeError';
  }
}
