import type { Redis } from 'ioredis';
import { InProcessRateLimiter } from './in-process-rate-limiter.js';
import type { PageRateLimiter } from './page-rate-limiter.js';
import { RedisRateLimiter, type RedisRateLimiterOptions } from './redis-rate-limiter.js';

/** RedisRateLimiter's options (documented there), with a client that may be null. */
export type PageRateLimiterSettings = Omit<
  RedisRateLimiterOptions,
  'redis' | 'recheckMs' | 'lateToleranceMs'
> & {
  /** The shared client (REDIS_CLIENT); null selects the in-process limiter. */
  redis: Redis | null;
};

/** RedisRateLimiter when a Redis client is given (REDIS_URL set), else InProcessRateLimiter. */
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
