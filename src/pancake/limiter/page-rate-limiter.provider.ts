import { Inject, Injectable, type OnApplicationShutdown, type Provider } from '@nestjs/common';
import { GatewayConfig } from '../../config/gateway-config.js';
import type { RedisAvailability } from '../../infra/redis/redis-availability.js';
import { REDIS_AVAILABILITY } from '../../infra/redis/redis.module.js';
import { InProcessRateLimiter } from './in-process-rate-limiter.js';
import { PAGE_RATE_LIMITER, type PageRateLimiter } from './page-rate-limiter.js';
import { RedisRateLimiter, type RedisRateLimiterOptions } from './redis-rate-limiter.js';

/** RedisRateLimiter's options (documented there), with a Redis that may be null. */
export type PageRateLimiterSettings = Omit<RedisRateLimiterOptions, 'redis' | 'lateToleranceMs'> & {
  /** The app's Redis (REDIS_AVAILABILITY); null selects the in-process limiter. */
  redis: RedisAvailability | null;
};

/** RedisRateLimiter when Redis is configured (REDIS_URL set), else InProcessRateLimiter. */
export function createPageRateLimiter(settings: PageRateLimiterSettings): PageRateLimiter {
  const { redis, ...rest } = settings;
  if (redis) return new RedisRateLimiter({ redis, ...rest });
  return new InProcessRateLimiter({
    limitPerSecond: rest.limitPerSecond,
    maxWaitMs: rest.maxWaitMs,
    safetyFactor: rest.safetyFactor,
    onWait: rest.onWait,
  });
}

/** Closes the limiter on shutdown: waiters are released with SERVICE_UNAVAILABLE. */
@Injectable()
class PageRateLimiterCloser implements OnApplicationShutdown {
  constructor(@Inject(PAGE_RATE_LIMITER) private readonly limiter: PageRateLimiter) {}

  async onApplicationShutdown(): Promise<void> {
    await this.limiter.close();
  }
}

/**
 * Providers for the Pancake module: PAGE_RATE_LIMITER (Redis backend when Redis is
 * configured, in-process otherwise) and its closer. Metrics: pass onWait here when
 * prom-client is wired.
 */
export const pageRateLimiterProviders: Provider[] = [
  {
    provide: PAGE_RATE_LIMITER,
    inject: [GatewayConfig, REDIS_AVAILABILITY],
    useFactory: (config: GatewayConfig, redis: RedisAvailability | null): PageRateLimiter =>
      createPageRateLimiter({
        redis,
        limitPerSecond: config.pancake.rateLimitPerSecond,
        maxWaitMs: config.pancake.rateLimitMaxWaitMs,
        fallbackPerSecond: config.pancake.rateLimitFallbackPerSecond,
        keyPrefix: config.redis.keyPrefix,
      }),
  },
  PageRateLimiterCloser,
];
