import { ErrorCode } from '../../common/errors/error-code.js';
import { GatewayError } from '../../common/errors/gateway-error.js';
import { retryAfterSeconds } from './reserve-slot.js';

/** The wait for a slot would exceed the max wait: RATE_LIMITED with a retry hint. Nothing was reserved. */
export function rateLimitedError(waitMs: number): GatewayError {
  return GatewayError.rateLimited(
    'Too many requests for this page: the upstream rate limit queue is full, retry later',
    retryAfterSeconds(waitMs),
  );
}

/** The limiter was closed (shutdown) while the caller waited or before it asked. */
export function limiterClosedError(): GatewayError {
  return new GatewayError(ErrorCode.SERVICE_UNAVAILABLE, 'The gateway is shutting down');
}

/** The reason an AbortSignal carries (a DOMException AbortError unless the caller gave one). */
export function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('This operation was aborted', 'AbortError');
}
