// When a delivery is tried again, and what an answer means (gateway-contract.md, "Webhook
// delivery"). Pure: no clock, no I/O.

const SECOND_MS = 1000;
const MINUTE_MS = 60 * SECOND_MS;
const HOUR_MS = 60 * MINUTE_MS;

/** Waits after failed attempts 1..7; the 8th attempt failing makes the delivery DEAD. */
export const RETRY_DELAYS_MS: readonly number[] = [
  5 * SECOND_MS,
  5 * MINUTE_MS,
  30 * MINUTE_MS,
  2 * HOUR_MS,
  5 * HOUR_MS,
  10 * HOUR_MS,
  10 * HOUR_MS,
];

/** Attempts a delivery gets in all: the first plus one per delay. */
export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1;

/** No answer within this is a failed attempt. */
export const DELIVERY_TIMEOUT_MS = 15_000;

/**
 * The wait before the next attempt after `attempt` (1-based) failed, or null when it was the
 * last (DEAD). `scale` shortens the schedule in tests only.
 */
export function retryDelayMs(attempt: number, scale = 1): number | null {
  if (!Number.isInteger(attempt) || attempt < 1) throw new RangeError('attempt must be >= 1');
  const delay = RETRY_DELAYS_MS[attempt - 1];
  return delay === undefined ? null : Math.max(1, Math.round(delay * scale));
}

/** What an attempt came to: delivered, failed (retry), or gone (the endpoint is disabled). */
export type AttemptVerdict = 'delivered' | 'failed' | 'gone';

/** Any 2xx is delivered; 410 disables; a redirect or any other status is a failure. */
export function verdictOf(status: number | null): AttemptVerdict {
  if (status === null) return 'failed';
  if (status >= 200 && status < 300) return 'delivered';
  if (status === 410) return 'gone';
  return 'failed';
}
