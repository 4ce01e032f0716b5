import { ErrorCode } from '../../common/errors/error-code.js';
import { GatewayError } from '../../common/errors/gateway-error.js';

export const DEFAULT_LOCK_WAIT_MS = 10_000;
export const DEFAULT_LOCK_LEASE_MS = 15_000;

/**
 * 409, not 429 or 503: the customer itself is busy with another change (a state conflict
 * that clears when that change ends), and the client should simply retry.
 */
export function lockBusy(waitedMs: number): GatewayError {
  return new GatewayError(
    ErrorCode.CONFLICT,
    `Another change to this customer is in progress (waited ${Math.round(waitedMs)} ms); retry`,
    { retryAfterSeconds: 1 },
  );
}
