import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { ReadCache } from '../cache/read-cache.js';
import { PAGE_RATE_LIMITER, type PageRateLimiter } from '../pancake/limiter/page-rate-limiter.js';

/** The rate limiter and read cache report whether they run on their shared backend. */
@Injectable()
export class ComponentsHealthIndicator {
  constructor(
    @Inject(PAGE_RATE_LIMITER) private readonly limiter: PageRateLimiter,
    private readonly cache: ReadCache,
    private readonly indicators: HealthIndicatorService,
  ) {}

  limiterHealth(): HealthIndicatorResult {
    const health = this.limiter.health();
    const indicator = this.indicators.check('rateLimiter');
    const data = { backend: health.backend, detail: health.detail };
    return health.healthy ? indicator.up(data) : indicator.down(data);
  }

  cacheHealth(): HealthIndicatorResult {
    const health = this.cache.health();
    const indicator = this.indicators.check('cache');
    const data = { backend: health.backend, detail: health.detail };
    return health.healthy ? indicator.up(data) : indicator.down(data);
  }
}
