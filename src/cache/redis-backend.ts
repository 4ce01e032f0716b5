import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { RedisScript } from '../customers/stores/redis-script.js';
import { describeRedisFailure, withTimeout } from '../pancake/limiter/redis-failure.js';
import { deepFreeze } from './deep-freeze.js';
import { isCacheEntry, type CacheEntry } from './cache-entry.js';
import { generationKey, loadingKey } from './cache-keys.js';
import { createKeyvRedisStore, type KeyvRedisStore } from './keyv-redis-store.js';
import type { CacheHealth, LoadClaim, PeerLoads, ReadCacheBackend } from './read-cache-backend.js';

// Only the marker's owner may remove it: an expired holder must not free a successor's marker.
const RELEASE_MARKER = new RedisScript(
  `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0`,
);

export interface RedisBackendOptions {
  redisUrl: string;
  /** The app's ioredis client (no offline queue, commandTimeout): generations and markers. Not closed here. */
  redis: Redis;
  keyPrefix: string;
  commandTimeoutMs: number;
  /** How long a "loading" marker lives (ms). */
  loadingMarkerMs: number;
  /** While degraded, try Redis again at most this often (ms). */
  recheckMs: number;
}

/**
 * The shared store: entries through cache-manager + @keyv/redis (node-redis), generations
 * and loading markers through the app's ioredis client.
 *
 * Failure policy: degrade, never hang, never fail a read. Every call is bounded by our own
 * timeout on top of the clients' (a command already written to a server that stopped
 * answering is never timed out by node-redis). The first failure marks the backend degraded:
 * from then on reads bypass Redis without touching it (generation() answers null), and a
 * background probe (PING on both connections, at most once per recheckMs, started by reads,
 * invalidations and health()) brings it back. Invalidations that could not be written are
 * kept and written by the probe before the cache is used again, so this replica never reads
 * an entry its own mutation made obsolete.
 */
export class RedisBackend implements ReadCacheBackend, PeerLoads {
  readonly kind = 'redis' as const;
  readonly peers: PeerLoads = this;
  private readonly store: KeyvRedisStore;
  private readonly redis: Redis;
  private readonly prefix: string;
  private readonly timeoutMs: number;
  private readonly loadingMarkerMs: number;
  private readonly recheckMs: number;
  /** Pages whose generation bump has not reached Redis yet. */
  private readonly pendingBumps = new Set<string>();
  /** null while Redis answers; otherwise a safe description of the last failure. */
  private degradedReason: string | null = null;
  private nextProbeAt = 0;
  private probing = false;
  private closed = false;

  constructor(options: RedisBackendOptions) {
    this.redis = options.redis;
    this.prefix = options.keyPrefix;
    this.timeoutMs = options.commandTimeoutMs;
    this.loadingMarkerMs = options.loadingMarkerMs;
    this.recheckMs = options.recheckMs;
    this.store = createKeyvRedisStore(
      options.redisUrl,
      options.commandTimeoutMs,
      () => this.closed,
    );
    // cache-manager swallows get errors (a failed get reads as a miss); this is how we hear of them.
    this.store.cache.on('get', ({ error }) => {
      if (error !== undefined) this.noteFailure(error);
    });
  }

  async generation(pageId: string): Promise<number | null> {
    if (!this.usable()) return null;
    try {
      const raw = await this.call(this.redis.get(generationKey(this.prefix, pageId)));
      return raw === null ? 0 : Number.parseInt(raw, 10) || 0;
    } catch (error) {
      this.noteFailure(error);
      return null;
    }
  }

  async bumpGeneration(pageId: string): Promise<void> {
    this.pendingBumps.add(pageId);
    if (!this.usable()) {
      this.noteFailure(this.degradedReason ?? 'connection not ready');
      return;
    }
    await this.flushBumps();
  }

  async get(key: string): Promise<CacheEntry | undefined> {
    if (!this.usable()) return undefined;
    try {
      const found: unknown = await this.call(this.store.cache.get(key));
      return isCacheEntry(found) ? deepFreeze(found) : undefined;
    } catch (error) {
      this.noteFailure(error);
      return undefined;
    }
  }

  async set(key: string, entry: CacheEntry, ttlMs: number): Promise<void> {
    if (!this.usable()) return;
    try {
      await this.call(this.store.cache.set(key, entry, ttlMs));
    } catch (error) {
      this.noteFailure(error);
    }
  }

  async claim(entryKey: string): Promise<LoadClaim> {
    if (!this.usable()) return { state: 'unavailable' };
    const token = randomUUID();
    try {
      const reply = await this.call(
        this.redis.set(loadingKey(entryKey), token, 'PX', this.loadingMarkerMs, 'NX'),
      );
      return reply === 'OK' ? { state: 'claimed', token } : { state: 'busy' };
    } catch (error) {
      this.noteFailure(error);
      return { state: 'unavailable' };
    }
  }

  async release(entryKey: string, token: string): Promise<void> {
    if (!this.usable()) return; // the marker expires on its own
    try {
      await this.call(RELEASE_MARKER.run(this.redis, [loadingKey(entryKey)], [token]));
    } catch (error) {
      this.noteFailure(error);
    }
  }

  async isLoading(entryKey: string): Promise<boolean> {
    if (!this.usable()) return false;
    try {
      return (await this.call(this.redis.exists(loadingKey(entryKey)))) === 1;
    } catch (error) {
      this.noteFailure(error);
      return false;
    }
  }

  health(): CacheHealth {
    if (this.closed) return { backend: 'redis', healthy: false, detail: 'closed' };
    const notReady = this.notReadyReason();
    if (notReady) return { backend: 'redis', healthy: false, detail: notReady };
    if (this.degradedReason !== null) {
      this.maybeProbe();
      return {
        backend: 'redis',
        healthy: false,
        detail: `bypassing the cache: ${this.degradedReason}`,
      };
    }
    return { backend: 'redis', healthy: true };
  }

  async whenReady(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed && this.notReadyReason() !== null) {
      if (Date.now() >= deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return !this.closed;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // destroy, not QUIT: a Redis that stopped answering would hang a graceful close.
    if (this.store.client.isOpen) this.store.client.destroy();
  }

  /** Both connections ready and no recent failure; otherwise schedules a probe and says no. */
  private usable(): boolean {
    if (this.closed || this.notReadyReason() !== null) return false;
    if (this.degradedReason === null) return true;
    this.maybeProbe();
    return false;
  }

  private notReadyReason(): string | null {
    if (this.redis.status !== 'ready') return 'generation connection not ready';
    if (!this.store.client.isReady) return 'cache connection not ready';
    return null;
  }

  private call<T>(command: Promise<T>): Promise<T> {
    return withTimeout(command, this.timeoutMs);
  }

  private noteFailure(error: unknown): void {
    if (this.closed) return;
    const reason = typeof error === 'string' ? error : describeRedisFailure(error);
    if (this.degradedReason === null) this.nextProbeAt = Date.now() + this.recheckMs;
    this.degradedReason = reason;
  }

  private maybeProbe(): void {
    if (this.probing || this.closed || Date.now() < this.nextProbeAt) return;
    if (this.notReadyReason() !== null) return;
    this.probing = true;
    void this.probe().finally(() => {
      this.probing = false;
      this.nextProbeAt = Date.now() + this.recheckMs;
    });
  }

  private async probe(): Promise<void> {
    try {
      await Promise.all([this.call(this.redis.ping()), this.call(this.store.client.ping())]);
      if (!(await this.flushBumps())) return;
      this.degradedReason = null;
    } catch (error) {
      this.noteFailure(error);
    }
  }

  /** Writes pending generation bumps; false (and degraded) when one could not be written. */
  private async flushBumps(): Promise<boolean> {
    for (const pageId of [...this.pendingBumps]) {
      try {
        await this.call(this.redis.incr(generationKey(this.prefix, pageId)));
        this.pendingBumps.delete(pageId);
      } catch (error) {
        this.noteFailure(error);
        return false;
      }
    }
    return true;
  }
}
