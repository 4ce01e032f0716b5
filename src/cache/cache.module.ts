import { Global, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { GatewayConfig } from '../config/gateway-config.js';
import { GatewayMetrics } from '../metrics/gateway-metrics.js';
import { REDIS_CLIENT } from '../redis/redis.module.js';
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
 */
@Global()
@Module({
  providers: [
    {
      provide: ReadCache,
      inject: [GatewayConfig, REDIS_CLIENT, { token: GatewayMetrics, optional: true }],
      useFactory: async (
        config: GatewayConfig,
        redis: Redis | null,
        metrics: GatewayMetrics | undefined,
      ): Promise<ReadCache> => {
        const cache = createReadCache({
          redisUrl: config.redis.url,
          redis,
          ttlSeconds: config.cache.ttlSeconds,
          staleTtlSeconds: config.cache.staleTtlSeconds,
          maxEntries: config.cache.maxEntries,
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
  exports: [ReadCache],
})
export class CacheModule {}
