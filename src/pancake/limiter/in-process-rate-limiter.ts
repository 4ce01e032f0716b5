import type {
  AcquireOptions,
  LimiterHealth,
  PageRateLimiter,
  SlotGrant,
} from './page-rate-limiter.js';
import { abortReason, limiterClosedError, rateLimitedError } from './limiter-errors.js';
import {
  defaultLateToleranceMs,
  reserveSlot,
  slotIntervalMs,
  type SlotState,
} from './reserve-slot.js';
import { grantSlot } from './slot-grant.js';
import { Sleepers } from './sleepers.js';

export interface InProcessRateLimiterOptions {
  limitPerSecond: number;
  /** Longest wait for a slot before RATE_LIMITED (AcquireOptions.maxWaitMs overrides per call). */
  maxWaitMs: number;
  /** Spacing multiplier, >= 1 (default 1.05): see slotIntervalMs. */
  safetyFactor?: number;
  /**
   * A request may leave at most this long after its slot: a caller whose timer fires
   * later, or whose request would be written later (SlotGrant.mayDepart), gives the
   * slot up and reserves again (default: half the jitter budget, 25 ms for 5/s).
   */
  lateToleranceMs?: number;
  /** Called once per granted acquire with the ms the caller waited. Must not throw. */
  onWait?: (pageId: string, waitedMs: number) => void;
  /** Clock (epoch ms); Date.now by default. Sleeping uses the global setTimeout. */
  now?: () => number;
}

/** Granted: sleep delayMs then go. Refused: nothing consumed, the slot was waitMs away. */
export type LocalReservation =
  { granted: true; delayMs: number } | { granted: false; waitMs: number };

interface PageEntry {
  slots: SlotState;
  /** Callers of this process holding a reservation and sleeping until their slot. */
  waiting: number;
}

const SWEEP_THRESHOLD = 1024;

/**
 * One process's GCRA limiter (the default backend, and the Redis backend's fallback).
 * A reservation is synchronous, so reservations happen in call order and the slots
 * (spaced intervalMs apart) are handed out FIFO per page.
 */
export class InProcessRateLimiter implements PageRateLimiter {
  readonly intervalMs: number;
  private readonly maxWaitMs: number;
  private readonly lateToleranceMs: number;
  private readonly onWait?: (pageId: string, waitedMs: number) => void;
  private readonly now: () => number;
  private readonly pages = new Map<string, PageEntry>();
  private readonly sleepers = new Sleepers();
  private sweepAtSize = SWEEP_THRESHOLD;
  private closed = false;

  constructor(options: InProcessRateLimiterOptions) {
    if (!(options.maxWaitMs >= 0)) throw new RangeError('maxWaitMs must be >= 0');
    this.intervalMs = slotIntervalMs(options.limitPerSecond, options.safetyFactor);
    this.maxWaitMs = options.maxWaitMs;
    this.lateToleranceMs =
      options.lateToleranceMs ?? defaultLateToleranceMs(options.limitPerSecond, this.intervalMs);
    this.onWait = options.onWait;
    this.now = options.now ?? Date.now;
  }

  async acquire(pageId: string, options: AcquireOptions = {}): Promise<SlotGrant> {
    const started = this.now();
    const maxWaitMs = options.maxWaitMs ?? this.maxWaitMs;
    // Everything up to the first await runs synchronously in call order: that is the FIFO.
    for (;;) {
      if (this.closed) throw limiterClosedError();
      if (options.signal?.aborted) throw abortReason(options.signal);
      const now = this.now();
      const reservation = this.reserve(pageId, Math.max(0, maxWaitMs - (now - started)), now);
      if (!reservation.granted) throw rateLimitedError(reservation.waitMs);
      const entry = this.entry(pageId);
      if (reservation.delayMs > 0) {
        entry.waiting += 1;
        try {
          await this.sleepers.sleep(reservation.delayMs, options.signal);
        } finally {
          entry.waiting -= 1;
        }
      }
      const grant = grantSlot({
        slotAt: now + reservation.delayMs,
        waitedMs: this.now() - started,
        lateToleranceMs: this.lateToleranceMs,
        pausedUntil: () => this.pages.get(pageId)?.slots.pausedUntil ?? 0,
        now: this.now,
      });
      // Woken too late (event-loop stall), or a pause arrived meanwhile: take a new slot.
      if (!grant.mayDepart()) continue;
      this.onWait?.(pageId, grant.waitedMs);
      return grant;
    }
  }

  /**
   * Reserves (or refuses) the next slot of pageId without sleeping. Used by acquire,
   * and by RedisRateLimiter while it runs on this limiter as its fallback.
   */
  reserve(pageId: string, maxWaitMs: number, now = this.now()): LocalReservation {
    const entry = this.entry(pageId);
    const result = reserveSlot(entry.slots, now, this.intervalMs, maxWaitMs);
    if (!result.granted) return result;
    entry.slots = result.state;
    return { granted: true, delayMs: result.delayMs };
  }

  async pause(pageId: string, durationMs: number): Promise<void> {
    const entry = this.entry(pageId);
    entry.slots = {
      ...entry.slots,
      pausedUntil: Math.max(entry.slots.pausedUntil, this.now() + Math.max(0, durationMs)),
    };
  }

  /** No new slot of pageId before atMs (epoch ms), without pausing waiters already holding one. */
  deferUntil(pageId: string, atMs: number): void {
    const entry = this.entry(pageId);
    entry.slots = { ...entry.slots, tat: Math.max(entry.slots.tat, atMs) };
  }

  /** Earliest time (epoch ms) a new slot of pageId could be granted; <= now when free. */
  nextSlotAt(pageId: string): number {
    const slots = this.pages.get(pageId)?.slots;
    return slots ? Math.max(slots.tat, slots.pausedUntil) : 0;
  }

  queueLength(pageId: string): number {
    return this.pages.get(pageId)?.waiting ?? 0;
  }

  health(): LimiterHealth {
    return { backend: 'in-process', healthy: true };
  }

  async close(): Promise<void> {
    this.closed = true;
    this.sleepers.cancelAll(limiterClosedError());
    this.pages.clear();
  }

  private entry(pageId: string): PageEntry {
    let entry = this.pages.get(pageId);
    if (!entry) {
      if (this.pages.size >= this.sweepAtSize) this.sweep();
      entry = { slots: { tat: 0, pausedUntil: 0 }, waiting: 0 };
      this.pages.set(pageId, entry);
    }
    return entry;
  }

  /** Forgets idle pages (no waiter, slot and pause in the past): they hold no information. */
  private sweep(): void {
    const now = this.now();
    for (const [pageId, entry] of this.pages) {
      if (entry.waiting === 0 && entry.slots.tat <= now && entry.slots.pausedUntil <= now) {
        this.pages.delete(pageId);
      }
    }
    this.sweepAtSize = Math.max(SWEEP_THRESHOLD, this.pages.size * 2);
  }
}
