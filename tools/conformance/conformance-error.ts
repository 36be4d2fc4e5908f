/** What went wrong in an independent-runtime check; callers branch on these, not on messages. */
export type ConformanceErrorCode =
  'ENGINE_MISSING' | 'LOAD_FAILED' | 'RUN_FAILED' | 'ENGINE_ABORTED' | 'INVALID_INPUT';

/** The one error class of tools/conformance; messages start with `Conformance: ` and say what to do. */
export class ConformanceError extends Error {
  constructor(
    readonly code: ConformanceErrorCode,
    message: string,
  ) {
    super(`Conformance: ${message}`);
    this.name = 'ConformanceError';
  }
}
