/** Outcomes a use case can report; the HTTP filter maps each to one status code. */
export type AppErrorCode = 'NOT_FOUND' | 'CONFLICT' | 'INVALID_INPUT' | 'UNAVAILABLE';

/** The server's domain error: thrown by services, never an HTTP exception. */
export class AppError extends Error {
  constructor(
    readonly code: AppErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'AppError';
  }

  static notFound(what: string, id: string): AppError {
    return new AppError('NOT_FOUND', `${what} ${JSON.stringify(id)} does not exist`);
  }
}
