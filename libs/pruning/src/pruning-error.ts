/** Why a pruning operation failed; callers map codes to HTTP or CLI answers. */
export type PruningErrorCode =
  | 'UNSUPPORTED_LAYER'
  | 'UNSUPPORTED_TOPOLOGY'
  | 'INVALID_KEEP'
  | 'INVALID_OPTIONS'
  | 'INVALID_DATA'
  | 'ABORTED'
  | 'BUDGET_UNREACHABLE';

/** The one error class of libs/pruning; its message starts with `Pruning:` and says what to do. */
export class PruningError extends Error {
  constructor(
    readonly code: PruningErrorCode,
    message: string,
  ) {
    super(`Pruning: ${message}`);
    this.name = 'PruningError';
  }
}
