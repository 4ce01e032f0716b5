import type { SlotGrant } from './page-rate-limiter.js';

/**
 * The grant of the slot at slotAt (epoch ms of `now`'s clock). Both limiters use its
 * mayDepart() twice: when the caller wakes (a stall made the timer late: reserve again),
 * and through the HTTP client right before the request is written (a stall or a
 * connection wait after waking).
 */
export function grantSlot(params: {
  /** When the slot is due here: the caller slept until then; pauses are compared with it. */
  slotAt: number;
  /**
   * Lateness is counted from this time (default slotAt). With Redis: the reservation
   * call plus the fastest recent round trip plus the wait, so a reply this process
   * read late counts.
   */
  lateSince?: number;
  waitedMs: number;
  lateToleranceMs: number;
  /** The page's pause-until as known now (a 429 learned after the reservation). */
  pausedUntil: () => number;
  now: () => number;
}): SlotGrant {
  const { slotAt, lateSince = slotAt, waitedMs, lateToleranceMs, pausedUntil, now } = params;
  return {
    slotAt,
    waitedMs,
    mayDepart: () => now() - lateSince <= lateToleranceMs && pausedUntil() <= slotAt,
  };
}
