import type { Redis } from 'ioredis';
import { InProcessRateLimiter } from './in-process-rate-limiter.js';
import type { PageRateLimiter } from './page-rate-limiter.js';
import { RedisRateLimiter } from './redis-rate-limiter.js';

export interface PageRateLimiterSettings {
  /** The shared client (REDIS_CLIENT); null selects the in-process limiter. */
  redis: Redis | null;
  limitPerSecond: number;
  maxWaitMs: number;
  /** Per-process rate per page while Redis is unavailable (Redis backend only). */
  fallbackPerSecond: number;
  keyPrefix?: string;
  safetyFactor?: number;
  /** Bound on one Redis call (Redis backend only, default 1000 ms). */
  reservationTimeoutMs?: number;
  onWait?: (pageId: string, waitedMs: number) => void;
}

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
