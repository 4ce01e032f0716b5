/*
 * RedisRateLimiter: one page budget shared by every replica.
 *
 * Algorithm: GCRA without burst, one atomic Lua call per request (RESERVE_SCRIPT).
 * The script reads the Redis server clock (TIME), so replicas with skewed clocks
 * still agree; it takes slot = max(tat, now, pausedUntil), refuses without writing
 * when the slot is more than maxWaitMs away, else stores tat = slot + intervalMs
 * (PX a second past it, so idle pages leave no keys) and returns the delay. The
 * caller sleeps that delay locally and sends. Slots of a page are therefore spaced
 * intervalMs = ceil(1000 / limit * 1.05) apart across all replicas: never more than
 * `limit` in any 1000 ms window even with ~50 ms of send jitter, ~95 % of the budget
 * used, and waiters are served in reservation order instead of failing.
 *
 * Why not a library:
 * - rate-limiter-flexible's Redis limiter and the @nestjs/throttler storages count
 *   in fixed windows (INCR + EXPIRE): a burst at the end of one window and another
 *   at the start of the next put 2x the limit into one 1000 ms span, and they reject
 *   instead of queueing.
 * - bottleneck's Redis clustering does queue and space requests, but it has been
 *   unmaintained since 2020 (no ioredis 5+/6 support, open data-loss issues).
 * The script is small enough to own and to test against the pure reserveSlot.
 *
 * Keys (both declared in KEYS, both carry the {pageId} hash tag so they share a
 * cluster slot): `${prefix}rl:{${pageId}}:tat` and `${prefix}rl:{${pageId}}:pause`.
 *
 * In one process, reservations of a page go through a FIFO (PageQueue), one at a
 * time, so callers get slots in arrival order.
 *
 * The 50 ms of slack (limit * intervalMs - 1000) must cover everything between the
 * slot and the upstream's arrival clock. A request may leave at most lateToleranceMs
 * (half the slack) after its slot, counted from the reservation call plus the fastest
 * recent round trip plus the wait Redis returned (so a reply read late because this
 * process stalled counts too); the other half is for the network to the upstream. The caller checks
 * this when it wakes, and the HTTP client again right before it writes the request
 * (SlotGrant.mayDepart): later, the slot is given up and a new one reserved rather
 * than crowd the next slots. Slots that a pause (ours, or one learned from a
 * reservation reply) now covers are re-reserved too.
 *
 * Redis unavailable (RedisAvailability, shared with the cache and the stores, decides when:
 * connection not ready, or a call failed or got no answer within its bound, until its PING
 * answers again): reservations never wait on Redis and run on an InProcessRateLimiter at
 * fallbackPerSecond (a conservative per-process share: set it to limit / replicas or less),
 * and health() reports healthy:false. On the way out, the fallback does
 * not grant a slot of a page before one fallback interval after the last Redis
 * slot this process got; on the way back, the first Redis slots are placed after
 * the fallback's last one (ARGV minDelayMs). Slots already granted by the other
 * side are kept (at most maxWaitMs ahead), so the limit holds per process across a
 * switch, and across replicas as long as fallbackPerSecond x replicas <= limit.
 */
import type { RedisAvailability } from '../../infra/redis/redis-availability.js';
import type {
  AcquireOptions,
  LimiterHealth,
  PageRateLimiter,
  SlotGrant,
} from './page-rate-limiter.js';
import { InProcessRateLimiter } from './in-process-rate-limiter.js';
import { abortReason, limiterClosedError, rateLimitedError } from './limiter-errors.js';
import { PageQueue } from './page-queue.js';
import {
  limiterKeys,
  pauseOnRedis,
  reserveOnRedis,
  type ReserveReply,
} from './redis-limiter-scripts.js';
import { defaultLateToleranceMs, slotIntervalMs } from './reserve-slot.js';
import { RoundTripFloor } from './round-trip-floor.js';
import { grantSlot } from './slot-grant.js';
import { Sleepers } from './sleepers.js';

export interface RedisRateLimiterOptions {
  /** The app's Redis, through its availability breaker (which bounds every call). Not closed by close(). */
  redis: RedisAvailability;
  limitPerSecond: number;
  maxWaitMs: number;
  /** Per-process rate per page while Redis is unavailable. */
  fallbackPerSecond: number;
  /** Prefix of every key (default `pgw:`). */
  keyPrefix?: string;
  /** Spacing multiplier, >= 1 (default 1.05). */
  safetyFactor?: number;
  /** A request leaving (or a caller waking) more than this after its slot gives it up and reserves again (default: half the jitter budget). */
  lateToleranceMs?: number;
  onWait?: (pageId: string, waitedMs: number) => void;
}

/** A reserved slot in local time: see reserve. */
interface LocalSlot {
  slotAt: number;
  lateSince: number;
}

/** Longest wait ever sent to Redis (a day): keeps the ARGV a plain integer. */
const MAX_WAIT_CAP_MS = 86_400_000;
const PRUNE_THRESHOLD = 1024;

export class RedisRateLimiter implements PageRateLimiter {
  readonly intervalMs: number;
  private readonly redis: RedisAvailability;
  private readonly maxWaitMs: number;
  private readonly fallbackPerSecond: number;
  private readonly keyPrefix: string;
  private readonly lateToleranceMs: number;
  private readonly onWait?: (pageId: string, waitedMs: number) => void;
  private readonly fallback: InProcessRateLimiter;
  private readonly queue = new PageQueue();
  private readonly sleepers = new Sleepers();
  private readonly roundTrips = new RoundTripFloor();
  /** Acquires in progress per page (queued, reserving or sleeping). */
  private readonly inProgress = new Map<string, number>();
  /** Pause-until (local epoch ms) this process set or learned from Redis, per page. */
  private readonly localPauses = new Map<string, number>();
  /** Local time of the latest slot Redis gave this process, per page (seeds the fallback). */
  private readonly lastRedisSlot = new Map<string, number>();
  private closed = false;

  constructor(options: RedisRateLimiterOptions) {
    if (!(options.maxWaitMs >= 0)) throw new RangeError('maxWaitMs must be >= 0');
    this.intervalMs = slotIntervalMs(options.limitPerSecond, options.safetyFactor);
    this.redis = options.redis;
    this.maxWaitMs = options.maxWaitMs;
    this.fallbackPerSecond = options.fallbackPerSecond;
    this.keyPrefix = options.keyPrefix ?? 'pgw:';
    this.lateToleranceMs =
      options.lateToleranceMs ?? defaultLateToleranceMs(options.limitPerSecond, this.intervalMs);
    this.onWait = options.onWait;
    this.fallback = new InProcessRateLimiter({
      limitPerSecond: options.fallbackPerSecond,
      maxWaitMs: options.maxWaitMs,
      safetyFactor: options.safetyFactor,
    });
  }

  async acquire(pageId: string, options: AcquireOptions = {}): Promise<SlotGrant> {
    const started = Date.now();
    const maxWaitMs = Math.min(options.maxWaitMs ?? this.maxWaitMs, MAX_WAIT_CAP_MS);
    const { signal } = options;
    this.count(pageId, 1);
    try {
      for (;;) {
        if (this.closed) throw limiterClosedError();
        if (signal?.aborted) throw abortReason(signal);
        // Queued synchronously on the first pass: arrival order is reservation order.
        const { slotAt, lateSince } = await this.queue.run(
          pageId,
          () => this.reserve(pageId, Math.max(0, maxWaitMs - (Date.now() - started))),
          signal,
        );
        // Aborted while reserving: the slot is simply lost (never more requests, only fewer).
        if (signal?.aborted) throw abortReason(signal);
        await this.sleepers.sleep(slotAt - Date.now(), signal);
        const grant = grantSlot({
          slotAt,
          lateSince,
          waitedMs: Date.now() - started,
          lateToleranceMs: this.lateToleranceMs,
          pausedUntil: () => this.pausedUntil(pageId),
          now: Date.now,
        });
        // Woken too late (event-loop stall): sending now could crowd the next slots; or a
        // pause known here arrived after our reservation and covers our slot: re-reserve.
        if (!grant.mayDepart()) continue;
        this.onWait?.(pageId, grant.waitedMs);
        return grant;
      }
    } finally {
      this.count(pageId, -1);
    }
  }

  async pause(pageId: string, durationMs: number): Promise<void> {
    const ms = Math.max(0, Math.ceil(durationMs));
    this.notePause(pageId, Date.now() + ms);
    await this.fallback.pause(pageId, ms);
    if (this.closed || !this.redis.ready) return;
    // Unavailable: the local pause above still holds this process (the fallback's share).
    await pauseOnRedis(this.redis, limiterKeys(this.keyPrefix, pageId).pause, ms).catch(
      () => undefined,
    );
  }

  queueLength(pageId: string): number {
    return this.inProgress.get(pageId) ?? 0;
  }

  health(): LimiterHealth {
    const redis = this.redis.health();
    if (redis.healthy) return { backend: 'redis', healthy: true };
    return {
      backend: 'redis',
      healthy: false,
      detail:
        `Redis unavailable (${redis.reason}); ` +
        `using the in-process fallback at ${this.fallbackPerSecond}/s per page in this process`,
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    this.queue.cancelAll(limiterClosedError());
    this.sleepers.cancelAll(limiterClosedError());
    await this.fallback.close();
  }

  /**
   * Reserves the next slot (Redis, else the fallback), or rejects RATE_LIMITED. Resolves
   * to its local time, counted from the reply (sleeping until then is never early), and
   * to the time lateness counts from: the call plus the fastest recent round trip plus
   * the wait, so a reply that waited out a stall in this process is not used late, while
   * a Redis that is merely far away costs no slot.
   */
  private async reserve(pageId: string, maxWaitMs: number): Promise<LocalSlot> {
    if (this.closed) throw limiterClosedError();
    if (this.redis.ready) {
      const sentAt = Date.now();
      const reply = await this.tryRedis(pageId, maxWaitMs);
      if (reply) {
        const now = Date.now();
        const floorMs = this.roundTrips.record(now - sentAt);
        if (reply.pauseLeftMs > 0) this.notePause(pageId, now + reply.pauseLeftMs);
        if (!reply.granted) throw rateLimitedError(reply.waitMs);
        this.remember(this.lastRedisSlot, pageId, now + reply.waitMs);
        return { slotAt: now + reply.waitMs, lateSince: sentAt + floorMs + reply.waitMs };
      }
    }
    const lastRedisSlot = this.lastRedisSlot.get(pageId);
    if (lastRedisSlot !== undefined) {
      this.fallback.deferUntil(pageId, lastRedisSlot + this.fallback.intervalMs);
      this.lastRedisSlot.delete(pageId);
    }
    const now = Date.now();
    const local = this.fallback.reserve(pageId, maxWaitMs, now);
    if (!local.granted) throw rateLimitedError(local.waitMs);
    return { slotAt: now + local.delayMs, lateSince: now + local.delayMs };
  }

  /** The Redis reply, or null when Redis failed (the breaker noted it: the fallback serves). */
  private async tryRedis(pageId: string, maxWaitMs: number): Promise<ReserveReply | null> {
    const minDelayMs = Math.max(0, this.fallback.nextSlotAt(pageId) - Date.now());
    return reserveOnRedis(
      this.redis,
      limiterKeys(this.keyPrefix, pageId),
      this.intervalMs,
      maxWaitMs,
      minDelayMs,
    ).catch(() => null);
  }

  private pausedUntil(pageId: string): number {
    const until = this.localPauses.get(pageId);
    if (until === undefined) return 0;
    if (until <= Date.now()) this.localPauses.delete(pageId);
    return until;
  }

  private notePause(pageId: string, untilMs: number): void {
    this.remember(this.localPauses, pageId, Math.max(this.localPauses.get(pageId) ?? 0, untilMs));
  }

  /** Sets a per-page time, dropping times already past when the map grows large. */
  private remember(map: Map<string, number>, pageId: string, value: number): void {
    if (map.size >= PRUNE_THRESHOLD && !map.has(pageId)) {
      const now = Date.now();
      for (const [key, at] of map) if (at <= now) map.delete(key);
    }
    map.set(pageId, value);
  }

  private count(pageId: string, delta: number): void {
    const next = (this.inProgress.get(pageId) ?? 0) + delta;
    if (next > 0) this.inProgress.set(pageId, next);
    else this.inProgress.delete(pageId);
  }
}
