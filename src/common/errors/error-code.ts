/** The gateway's error codes (gateway contract): GraphQL `extensions.code`, REST `error.code`. */
export enum ErrorCode {
  BAD_USER_INPUT = 'BAD_USER_INPUT',
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  FORBIDDEN = 'FORBIDDEN',
  NOT_FOUND = 'NOT_FOUND',
  /** The same Idempotency-Key is still being processed. */
  CONFLICT = 'CONFLICT',
  /** The same Idempotency-Key was used with another request body. */
  IDEMPOTENCY_KEY_REUSED = 'IDEMPOTENCY_KEY_REUSED',
  PAYLOAD_TOO_LARGE = 'PAYLOAD_TOO_LARGE',
  RATE_LIMITED = 'RATE_LIMITED',
  UPSTREAM_ERROR = 'UPSTREAM_ERROR',
  SERVICE_UNAVAILABLE = 'SERVICE_UNAVAILABLE',
  INTERNAL = 'INTERNAL',
  /** The request line, headers or body did not arrive within the gateway's bound. */
  REQUEST_TIMEOUT = 'REQUEST_TIMEOUT',
  /** A mirror read of a page that is not live yet (its state and backfill progress in details). */
  SYNC_NOT_READY = 'SYNC_NOT_READY',
}

/** HTTP status per code, for the REST transport. */
export const HTTP_STATUS_BY_CODE: Record<ErrorCode, number> = {
  [ErrorCode.BAD_USER_INPUT]: 400,
  [ErrorCode.UNAUTHENTICATED]: 401,
  [ErrorCode.FORBIDDEN]: 403,
  [ErrorCode.NOT_FOUND]: 404,
  [ErrorCode.CONFLICT]: 409,
  [ErrorCode.IDEMPOTENCY_KEY_REUSED]: 422,
  [ErrorCode.PAYLOAD_TOO_LARGE]: 413,
  [ErrorCode.RATE_LIMITED]: 429,
  [ErrorCode.UPSTREAM_ERROR]: 502,
  [ErrorCode.SERVICE_UNAVAILABLE]: 503,
  [ErrorCode.INTERNAL]: 500,
  [ErrorCode.REQUEST_TIMEOUT]: 408,
  [ErrorCode.SYNC_NOT_READY]: 409,
};

/**
 * The code for a status Nest or Fastify chose (a guard returning false, a pipe, a framework
 * exception) when no GatewayError says otherwise, on both transports: HTTP_STATUS_BY_CODE read
 * backwards, with 422 (a validation status in Nest) as bad input. 5xx other than 503 are
 * missing on purpose: they are the gateway's own failures, answered as INTERNAL.
 */
const CODE_BY_HTTP_STATUS: Readonly<Record<number, ErrorCode>> = {
  400: ErrorCode.BAD_USER_INPUT,
  401: ErrorCode.UNAUTHENTICATED,
  403: ErrorCode.FORBIDDEN,
  404: ErrorCode.NOT_FOUND,
  408: ErrorCode.REQUEST_TIMEOUT,
  409: ErrorCode.CONFLICT,
  413: ErrorCode.PAYLOAD_TOO_LARGE,
  422: ErrorCode.BAD_USER_INPUT,
  429: ErrorCode.RATE_LIMITED,
  503: ErrorCode.SERVICE_UNAVAILABLE,
};

/** The contract's code for an HTTP status; any other 4xx is bad input, other 5xx have none. */
export function codeForHttpStatus(status: number): ErrorCode | undefined {
  return (
    CODE_BY_HTTP_STATUS[status] ??
    (status >= 400 && status < 500 ? ErrorCode.BAD_USER_INPUT : undefined)
  );
}
