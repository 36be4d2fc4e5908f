/** A failed API call: the HTTP status and the server's message (or why the call never arrived). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** The server refused the operator token. */
  get unauthorized(): boolean {
    return this.status === 401;
  }
}

/** The message of an error for display. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
