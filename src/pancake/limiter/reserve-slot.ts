/**
 * GCRA without burst, the one piece of rate-limit math shared by both backends.
 * InProcessRateLimiter calls reserveSlot directly; the Redis reservation script
 * (redis-limiter-scripts.ts) is a line-by-line mirror of it in Lua.
 */

/** Per-page limiter state. Times are epoch milliseconds of one clock. */
export interface SlotState {
  /** Theoretical arrival time: the earliest time the next slot may be granted. */
  tat: number;
  /** No slot is granted before this time (a 429 from upstream). */
  pausedUntil: number;
}

export type SlotReservation =
  /** Slot granted at now + delayMs; `state` is the state to store. */
  | { granted: true; delayMs: number; state: SlotState }
  /** Refused without changing state: the slot would have been waitMs away (the retry hint). */
  | { granted: false; waitMs: number };

export const DEFAULT_SAFETY_FACTOR = 1.05;

/**
 * Spacing between two slots of one page: `ceil(1000 / limit * safetyFactor)` ms
 * (210 ms for 5/s). Any `limit + 1` consecutive slots then span more than 1000 ms by
 * `1000 * (safetyFactor - 1)` ms, which absorbs that much arrival jitter, while using
 * `1 / safetyFactor` of the budget (~95 %).
 */
export function slotIntervalMs(
  limitPerSecond: number,
  safetyFactor = DEFAULT_SAFETY_FACTOR,
): number {
  if (!(limitPerSecond > 0) || !Number.isFinite(limitPerSecond)) {
    throw new RangeError('limitPerSecond must be a positive number');
  }
  if (!(safetyFactor >= 1) || !Number.isFinite(safetyFactor)) {
    throw new RangeError('safetyFactor must be a finite number >= 1');
  }
  // The epsilon keeps float noise (e.g. 210.00000000000003) from adding a millisecond.
  return Math.max(1, Math.ceil((1000 * safetyFactor) / limitPerSecond - 1e-9));
}

/**
 * How late a request may reach the upstream after its slot without ever putting
 * `limit + 1` requests in a 1000 ms window: `limit * intervalMs - 1000` (50 ms for 5/s).
 */
export function jitterBudgetMs(limitPerSecond: number, intervalMs: number): number {
  return Math.max(0, Math.max(1, Math.floor(limitPerSecond)) * intervalMs - 1000);
}

/**
 * Default for how late a sleeping caller may wake (event-loop stall) and still use
 * its slot: half the jitter budget, the other half being left to the HTTP send.
 * A caller waking later gives the slot up and reserves again.
 */
export function defaultLateToleranceMs(limitPerSecond: number, intervalMs: number): number {
  return Math.max(5, Math.floor(jitterBudgetMs(limitPerSecond, intervalMs) / 2));
}

/**
 * Reserves the next slot of a page: `slot = max(tat, now, pausedUntil)`. When the
 * slot is more than maxWaitMs away the reservation is refused and the state is left
 * untouched (nothing is consumed); otherwise the stored tat becomes `slot + intervalMs`.
 */
export function reserveSlot(
  state: SlotState | undefined,
  now: number,
  intervalMs: number,
  maxWaitMs: number,
): SlotReservation {
  const tat = state?.tat ?? 0;
  const pausedUntil = state?.pausedUntil ?? 0;
  const slot = Math.max(tat, now, pausedUntil);
  const wait = slot - now;
  if (wait > maxWaitMs) return { granted: false, waitMs: wait };
  return { granted: true, delayMs: wait, state: { tat: slot + intervalMs, pausedUntil } };
}

/** Retry hint in whole seconds (at least 1) for a refused wait. */
export function retryAfterSeconds(waitMs: number): number {
  return Math.max(1, Math.ceil(waitMs / 1000));
}
