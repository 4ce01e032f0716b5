import { ErrorCode } from '../common/errors/error-code.js';
import { GatewayError } from '../common/errors/gateway-error.js';

// Only "upstream could not answer now" failures: bad input or an unknown id must never be papered over.
const STALE_CODES: ReadonlySet<ErrorCode> = new Set([
  ErrorCode.UPSTREAM_ERROR,
  ErrorCode.RATE_LIMITED,
]);

/** True when a failed load may be answered from the last good copy (flagged stale). */
export function allowsStaleFallback(error: unknown): boolean {
  return error instanceof GatewayError && STALE_CODES.has(error.code);
}
