import { Global, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { GatewayConfig } from '../config/gateway-config.js';
import type { RedisAvailability } from '../infra/redis/redis-availability.js';
import { REDIS_AVAILABILITY } from '../infra/redis/redis.module.js';
import { GatewayMetrics } from '../metrics/gateway-metrics.js';
import { DEFAULT_CACHE_KEY_PREFIX } from './cache-keys.js';
import { InProcessBackend } from './in-process-backend.js';
import { BUDGET_KINDS, DEFAULT_CACHE_MAX_BYTES, MemoryBudget } from './memory-budget.js';
import { ReadCache, type ReadCacheMetrics } from './read-cache.js';
import { RedisBackend } from './redis-backend.js';

export interface ReadCacheOptions {
  /** The app's Redis (REDIS_AVAILABILITY); null: the in-process LRU. */
  redis: RedisAvailability | null;
  ttlSeconds: number;
  /** How long the last good copy may still answer when upstream fails. */
  staleTtlSeconds: number;
  /** Bound of the in-process LRU (entries). */
  maxEntries: number;
  /** The byte budget in-process entries count against (default: one of DEFAULT_CACHE_MAX_BYTES). */
  budget?: MemoryBudget;
  keyPrefix?: string;
  metrics?: ReadCacheMetrics;
  /** The cache's clock (epoch ms), for entry ages; tests inject it. */
  now?: () => number;
  /** How long a replica waits for another one loading the same entry, and the marker's life (default 5000 ms). */
  loadingMarkerMs?: number;
}

/** The in-process LRU without Redis; entries, generations and markers on Redis with it. */
export function createReadCache(options: ReadCacheOptions): ReadCache {
  const { ttlSeconds, staleTtlSeconds } = options;
  if (!(ttlSeconds > 0)) throw new RangeError('ttlSeconds must be > 0');
  if (!(staleTtlSeconds >= 0)) throw new RangeError('staleTtlSeconds must be >= 0');
  const keyPrefix = options.keyPrefix ?? DEFAULT_CACHE_KEY_PREFIX;
  const loadingMarkerMs = options.loadingMarkerMs ?? 5000;
  const budget = options.budget ?? new MemoryBudget(DEFAULT_CACHE_MAX_BYTES);
  const backend = options.redis
    ? new RedisBackend({ redis: options.redis, keyPrefix, loadingMarkerMs })
    : new InProcessBackend(options.maxEntries, budget);
  const timing = {
    ttlMs: ttlSeconds * 1000,
    staleTtlMs: staleTtlSeconds * 1000,
    now: options.now ?? Date.now,
    loadingMarkerMs,
  };
  return new ReadCache(backend, timing, keyPrefix, options.metrics, budget);
}

@Injectable()
class ReadCacheCloser implements OnApplicationShutdown {
  constructor(private readonly cache: ReadCache) {}

  async onApplicationShutdown(): Promise<void> {
    await this.cache.close();
  }
}

/**
 * Provides ReadCache everywhere: on Redis when REDIS_URL is set (shared by replicas), an
 * in-process LRU otherwise. Outcomes feed gateway_cache_events_total when metrics are loaded.
 * Also the MemoryBudget (CACHE_MAX_BYTES) that every in-process cache counts against; its
 * accounted bytes are gateway_cache_bytes.
 */
@Global()
@Module({
  providers: [
    {
      provide: MemoryBudget,
      inject: [GatewayConfig, { token: GatewayMetrics, optional: true }],
      useFactory: (config: GatewayConfig, metrics: GatewayMetrics | undefined): MemoryBudget => {
        const budget = new MemoryBudget(config.cacheMaxBytes);
        metrics?.onScrape(() => {
          for (const kind of BUDGET_KINDS) metrics.cacheBytes.set({ kind }, budget.bytes(kind));
        });
        return budget;
      },
    },
    {
      provide: ReadCache,
      inject: [
        GatewayConfig,
        REDIS_AVAILABILITY,
        MemoryBudget,
        { token: GatewayMetrics, optional: true },
      ],
      useFactory: async (
        config: GatewayConfig,
        redis: RedisAvailability | null,
        budget: MemoryBudget,
        metrics: GatewayMetrics | undefined,
      ): Promise<ReadCache> => {
        const cache = createReadCache({
          redis,
          ttlSeconds: config.cache.ttlSeconds,
          staleTtlSeconds: config.cache.staleTtlSeconds,
          maxEntries: config.cache.maxEntries,
          budget,
          keyPrefix: config.redis.keyPrefix,
          metrics: metrics && {
            onOutcome: (outcome) => metrics.cacheEvents.inc({ outcome }),
          },
        });
        // Bounded: with Redis down, start anyway (reads bypass the cache, health says so).
        await cache.whenReady(Math.max(1000, config.redis.commandTimeoutMs * 2));
        return cache;
      },
    },
    ReadCacheCloser,
  ],
  exports: [ReadCache, MemoryBudget],
})
export class CacheModule {}
