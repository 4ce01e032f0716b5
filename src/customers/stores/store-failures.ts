import { Logger } from '@nestjs/common';
import { ErrorCode } from '../../common/errors/error-code.js';
import { GatewayError } from '../../common/errors/gateway-error.js';

/** Told about every swallowed Redis failure of a best-effort operation (metrics, logs). */
export type StoreErrorReporter = (operation: string, error: unknown) => void;

/** The default reporter: one warning line per failure, no stack (the client error says enough). */
export function loggingReporter(context: string): StoreErrorReporter {
  const logger = new Logger(context);
  return (operation, error) =>
    logger.warn(`${operation} failed, continuing without it: ${describeError(error)}`);
}

export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** 503 for a store that must not be skipped: the caller may retry shortly, nothing was changed. */
export function storeUnavailable(message: string, cause: unknown): GatewayError {
  return new GatewayError(ErrorCode.SERVICE_UNAVAILABLE, message, { cause, retryAfterSeconds: 1 });
}
