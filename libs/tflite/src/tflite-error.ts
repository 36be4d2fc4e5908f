/** Why a TFLite operation failed; callers map codes to HTTP or CLI answers. */
export type TfliteErrorCode =
  | 'CORRUPT_FILE'
  | 'UNSUPPORTED_VERSION'
  | 'UNSUPPORTED_OP'
  | 'UNSUPPORTED_LAYER'
  | 'UNSUPPORTED_TYPE'
  | 'INVALID_MODEL'
  | 'INVALID_INPUT'
  | 'LIMIT_EXCEEDED';

/** The one error class of libs/tflite; its message starts with `TFLite:` and says what to do. */
export class TfliteError extends Error {
  constructor(
    readonly code: TfliteErrorCode,
    message: string,
  ) {
    super(`TFLite: ${message}`);
    this.name = 'TfliteError';
  }
}
