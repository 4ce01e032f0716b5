import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import type { Redis } from 'ioredis';
import { REDIS_CLIENT } from '../redis/redis.module.js';

/** Redis answers PING within the command timeout (when REDIS_URL is configured). */
@Injectable()
export class RedisHealthIndicator {
  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: Redis | null,
    private readonly indicators: HealthIndicatorService,
  ) {}

  async check(): Promise<HealthIndicatorResult> {
    const indicator = this.indicators.check('redis');
    if (!this.redis) return indicator.up({ mode: 'not configured (in-process)' });
    try {
      await this.redis.ping();
      return indicator.up();
    } catch {
      // The message says what failed, never the URL (it may hold a password).
      return indicator.down({ message: 'Redis does not answer' });
    }
  }
}
