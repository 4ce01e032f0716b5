import { ErrorCode } from './error-code.js';

/** One violated rule on one input field, e.g. `{ field: 'birthday', rule: 'not in the future' }`. */
export interface FieldViolation {
  field: string;
  rule: string;
  value?: unknown;
}

export interface GatewayErrorOptions {
  details?: unknown;
  /** Seconds the caller should wait before retrying (RATE_LIMITED, some UPSTREAM_ERROR). */
  retryAfterSeconds?: number;
  /** Internal cause, never rendered to clients. */
  cause?: unknown;
}

/**
 * The one domain error of the gateway. Thrown once, rendered by a filter per transport:
 * GraphQL `extensions.code`, REST status + `{error:{code,message,details}}`.
 * Messages are written for the caller and must never contain a token or key.
 */
export class GatewayError extends Error {
  readonly details?: unknown;
  readonly retryAfterSeconds?: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    options: GatewayErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'GatewayError';
    this.details = options.details;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }

  static badInput(violations: FieldViolation[]): GatewayError {
    const message = violations.map((v) => `${v.field}: ${v.rule}`).join('; ');
    return new GatewayError(ErrorCode.BAD_USER_INPUT, message, { details: { violations } });
  }

  static notFound(message: string): GatewayError {
    return new GatewayError(ErrorCode.NOT_FOUND, message);
  }

  static rateLimited(message: string, retryAfterSeconds: number): GatewayError {
    return new GatewayError(ErrorCode.RATE_LIMITED, message, { retryAfterSeconds });
  }

  static unavailable(message: string): GatewayError {
    return new GatewayError(ErrorCode.SERVICE_UNAVAILABLE, message);
  }

  static upstream(message: string, options: GatewayErrorOptions = {}): GatewayError {
    return new GatewayError(ErrorCode.UPSTREAM_ERROR, message, options);
  }
}
