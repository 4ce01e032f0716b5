import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import type { RedisAvailability } from '../infra/redis/redis-availability.js';
import { REDIS_AVAILABILITY } from '../infra/redis/redis.module.js';

/**
 * Redis answers (when REDIS_URL is configured): a PING through the availability breaker, so an
 * open breaker answers at once and a PING that fails opens it for every feature.
 */
@Injectable()
export class RedisHealthIndicator {
  constructor(
    @Inject(REDIS_AVAILABILITY) private readonly redis: RedisAvailability | null,
    private readonly indicators: HealthIndicatorService,
  ) {}

  async check(): Promise<HealthIndicatorResult> {
    const indicator = this.indicators.check('redis');
    if (!this.redis) return indicator.up({ mode: 'not configured (in-process)' });
    try {
      this.redis.health(); // starts the PING that may close an open breaker, when one is due
      await this.redis.call((client) => client.ping());
      return indicator.up();
    } catch {
      // The message says what failed, never the URL (it may hold a password).
      return indicator.down({ message: 'Redis does not answer' });
    }
  }
}
