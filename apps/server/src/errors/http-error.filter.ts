import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { AppError, AppErrorCode } from './app-error';

const STATUS: Record<AppErrorCode, number> = {
  NOT_FOUND: HttpStatus.NOT_FOUND,
  CONFLICT: HttpStatus.CONFLICT,
  INVALID_INPUT: HttpStatus.BAD_REQUEST,
  UNAVAILABLE: HttpStatus.SERVICE_UNAVAILABLE,
};

/**
 * Library error codes that mean "the caller sent something we cannot use" (400) or "this
 * server lacks something the request needs" (503); any other library code is our fault (500).
 */
const LIBRARY_ERROR_STATUS: Record<string, Record<string, number>> = {
  TfjsRuntimeError: { INVALID_MODEL_FILES: 400 },
  TfliteError: {
    CORRUPT_FILE: 400,
    UNSUPPORTED_VERSION: 400,
    UNSUPPORTED_OP: 400,
    UNSUPPORTED_LAYER: 400,
    UNSUPPORTED_TYPE: 400,
    INVALID_MODEL: 400,
    INVALID_INPUT: 400,
    LIMIT_EXCEEDED: 413,
  },
  DatasetError: { NOT_INSTALLED: 503, BAD_ARGUMENT: 400 },
  PruningError: { UNSUPPORTED_LAYER: 400, BUDGET_UNREACHABLE: 400, INVALID_OPTIONS: 400 },
  ProtocolError: { INVALID_TOPIC: 400, INVALID_MESSAGE: 400, TOO_LARGE: 413, UNSUPPORTED_VERSION: 400 },
};

/** Turns every error into a JSON answer; unknown errors become a logged 500, never a crash. */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(error: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    if (error instanceof HttpException) {
      const body = error.getResponse();
      response
        .status(error.getStatus())
        .json(typeof body === 'string' ? { statusCode: error.getStatus(), message: body } : body);
      return;
    }
    if (error instanceof AppError) {
      const status = STATUS[error.code];
      response
        .status(status)
        .json({ statusCode: status, error: error.code, message: error.message, ...error.details });
      return;
    }
    const code = error instanceof Error ? (error as Error & { code?: unknown }).code : undefined;
    const status = typeof code === 'string' ? LIBRARY_ERROR_STATUS[(error as Error).name]?.[code] : undefined;
    if (status !== undefined) {
      response.status(status).json({ statusCode: status, error: code, message: (error as Error).message });
      return;
    }
    this.logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    response
      .status(HttpStatus.INTERNAL_SERVER_ERROR)
      .json({ statusCode: 500, message: 'Internal server error' });
  }
}
