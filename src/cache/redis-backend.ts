import { randomUUID } from 'node:crypto';
import type { Cache } from 'cache-manager';
import { DELETE_IF_OWNED } from '../infra/redis/lua-script.js';
import type { RedisAvailability } from '../infra/redis/redis-availability.js';
import { deepFreeze } from './deep-freeze.js';
import { isCacheEntry, type CacheEntry } from './cache-entry.js';
import { generationKey, loadingKey, readCachePattern } from './cache-keys.js';
import type { CacheHealth, LoadClaim, PeerLoads, ReadCacheBackend } from './read-cache-backend.js';
import { createRedisEntryCache } from './redis-keyv-store.js';

export interface RedisBackendOptions {
  /** The app's Redis, through its availability breaker. Not closed here. */
  redis: RedisAvailability;
  keyPrefix: string;
  /** How long a "loading" marker lives (ms). */
  loadingMarkerMs: number;
}

/**
 * The shared store: entries through cache-manager over a Keyv store on the app's ioredis
 * client, generations and loading markers on the same client.
 *
 * Policy while Redis is unavailable (RedisAvailability decides when that is, bounds every
 * call and brings Redis back): bypass, never hang, never fail a read. generation() answers
 * null, so reads load without the cache. Invalidations that could not be written are kept and
 * written before the cache is used again, so this replica never reads an entry its own
 * mutation made obsolete.
 */
export class RedisBackend implements ReadCacheBackend, PeerLoads {
  readonly kind = 'redis' as const;
  readonly peers: PeerLoads = this;
  private readonly entries: Cache;
  private readonly redis: RedisAvailability;
  private readonly prefix: string;
  private readonly loadingMarkerMs: number;
  /** Pages whose generation bump has not reached Redis yet. */
  private readonly pendingBumps = new Set<string>();
  private closed = false;

  constructor(options: RedisBackendOptions) {
    this.redis = options.redis;
    this.prefix = options.keyPrefix;
    this.loadingMarkerMs = options.loadingMarkerMs;
    this.entries = createRedisEntryCache(options.redis, readCachePattern(options.keyPrefix));
  }

  async generation(pageId: string): Promise<number | null> {
    if (!this.usable()) return null;
    if (this.pendingBumps.size > 0 && !(await this.flushBumps())) return null;
    try {
      const raw = await this.redis.call((client) => client.get(generationKey(this.prefix, pageId)));
      return raw === null ? 0 : Number.parseInt(raw, 10) || 0;
    } catch {
      return null;
    }
  }

  async bumpGeneration(pageId: string): Promise<void> {
    this.pendingBumps.add(pageId);
    if (this.usable()) await this.flushBumps();
  }

  async get(key: string): Promise<CacheEntry | undefined> {
    if (!this.usable()) return undefined;
    const found: unknown = await this.entries.get(key); // a failed get reads as a miss
    return isCacheEntry(found) ? deepFreeze(found) : undefined;
  }

  async set(key: string, entry: CacheEntry, ttlMs: number): Promise<void> {
    if (!this.usable()) return;
    await this.entries.set(key, entry, ttlMs).catch(() => undefined);
  }

  async claim(entryKey: string): Promise<LoadClaim> {
    if (!this.usable()) return { state: 'unavailable' };
    const token = randomUUID();
    try {
      const reply = await this.redis.call((client) =>
        client.set(loadingKey(entryKey), token, 'PX', this.loadingMarkerMs, 'NX'),
      );
      return reply === 'OK' ? { state: 'claimed', token } : { state: 'busy' };
    } catch {
      return { state: 'unavailable' };
    }
  }

  async release(entryKey: string, token: string): Promise<void> {
    if (!this.usable()) return; // the marker expires on its own
    await this.redis.run(DELETE_IF_OWNED, [loadingKey(entryKey)], [token]).catch(() => undefined);
  }

  async isLoading(entryKey: string): Promise<boolean> {
    if (!this.usable()) return false;
    try {
      return (await this.redis.call((client) => client.exists(loadingKey(entryKey)))) === 1;
    } catch {
      return false;
    }
  }

  health(): CacheHealth {
    if (this.closed) return { backend: 'redis', healthy: false, detail: 'closed' };
    const redis = this.redis.health();
    if (!redis.healthy)
      return { backend: 'redis', healthy: false, detail: `bypassing the cache: ${redis.reason}` };
    if (this.pendingBumps.size > 0) {
      void this.flushBumps();
      return {
        backend: 'redis',
        healthy: false,
        detail: 'bypassing the cache: invalidations not written yet',
      };
    }
    return { backend: 'redis', healthy: true };
  }

  async whenReady(timeoutMs: number): Promise<boolean> {
    return !this.closed && (await this.redis.whenReady(timeoutMs)) && !this.closed;
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  private usable(): boolean {
    return !this.closed && this.redis.ready;
  }

  /** Writes pending generation bumps; false when one could not be written. */
  private async flushBumps(): Promise<boolean> {
    for (const pageId of [...this.pendingBumps]) {
      try {
        await this.redis.call((client) => client.incr(generationKey(this.prefix, pageId)));
        this.pendingBumps.delete(pageId);
      } catch {
        return false;
      }
    }
    return true;
  }
}
