import { Inject, Injectable, type OnApplicationShutdown, type Provider } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { GatewayConfig } from '../../config/gateway-config.js';
import { REDIS_CLIENT } from '../../redis/redis.module.js';
import { createPageRateLimiter } from './create-page-rate-limiter.js';
import { PAGE_RATE_LIMITER, type PageRateLimiter } from './page-rate-limiter.js';

/** Closes the limiter on shutdown: waiters are released with SERVICE_UNAVAILABLE. */
@Injectable()
class PageRateLimiterCloser implements OnApplicationShutdown {
  constructor(@Inject(PAGE_RATE_LIMITER) private readonly limiter: PageRateLimiter) {}

  async onApplicationShutdown(): Promise<void> {
    await this.limiter.close();
  }
}

/**
 * Providers for the Pancake module: PAGE_RATE_LIMITER (Redis backend when REDIS_CLIENT
 * is a client, in-process otherwise) and its closer. Metrics: pass onWait here when
 * prom-client is wired.
 */
export const pageRateLimiterProviders: Provider[] = [
  {
    provide: PAGE_RATE_LIMITER,
    inject: [GatewayConfig, REDIS_CLIENT],
    useFactory: (config: GatewayConfig, redis: Redis | null): PageRateLimiter =>
      createPageRateLimiter({
        redis,
        limitPerSecond: config.pancake.rateLimitPerSecond,
        maxWaitMs: config.pancake.rateLimitMaxWaitMs,
        fallbackPerSecond: config.pancake.rateLimitFallbackPerSecond,
        reservationTimeoutMs: config.redis.commandTimeoutMs * 2,
        keyPrefix: config.redis.keyPrefix,
      }),
  },
  PageRateLimiterCloser,
];
