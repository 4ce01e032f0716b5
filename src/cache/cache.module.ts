import { Global, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { GatewayConfig } from '../config/gateway-config.js';
import { GatewayMetrics } from '../metrics/gateway-metrics.js';
import { REDIS_CLIENT } from '../redis/redis.module.js';
import { BUDGET_KINDS, MemoryBudget } from './memory-budget.js';
import { createReadCache, ReadCache } from './read-cache.js';

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
        REDIS_CLIENT,
        MemoryBudget,
        { token: GatewayMetrics, optional: true },
      ],
      useFactory: async (
        config: GatewayConfig,
        redis: Redis | null,
        budget: MemoryBudget,
        metrics: GatewayMetrics | undefined,
      ): Promise<ReadCache> => {
        const cache = createReadCache({
          redisUrl: config.redis.url,
          redis,
          ttlSeconds: config.cache.ttlSeconds,
          staleTtlSeconds: config.cache.staleTtlSeconds,
          maxEntries: config.cache.maxEntries,
          budget,
          commandTimeoutMs: config.redis.commandTimeoutMs,
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
