import { Redis } from 'ioredis';
import { createPageRateLimiter } from './create-page-rate-limiter.js';
import { InProcessRateLimiter } from './in-process-rate-limiter.js';
import { RedisRateLimiter } from './redis-rate-limiter.js';

describe('createPageRateLimiter', () => {
  const settings = { limitPerSecond: 5, maxWaitMs: 10_000, fallbackPerSecond: 1 };

  it('is in-process without a Redis client', async () => {
    const limiter = createPageRateLimiter({ ...settings, redis: null });
    expect(limiter).toBeInstanceOf(InProcessRateLimiter);
    expect(limiter.health()).toEqual({ backend: 'in-process', healthy: true });
    await limiter.close();
  });

  it('is the Redis limiter with a client, with the configured spacing', async () => {
    const redis = new Redis({ lazyConnect: true, enableOfflineQueue: false });
    const limiter = createPageRateLimiter({ ...settings, redis, safetyFactor: 1.1 });
    expect(limiter).toBeInstanceOf(RedisRateLimiter);
    expect((limiter as RedisRateLimiter).intervalMs).toBe(220);
    expect(limiter.health()).toMatchObject({ backend: 'redis', healthy: false }); // never connected
    await limiter.close();
    redis.disconnect();
  });

  it('rejects settings that would break the guarantee', () => {
    expect(() => createPageRateLimiter({ ...settings, redis: null, safetyFactor: 0.5 })).toThrow(
      RangeError,
    );
    expect(() => createPageRateLimiter({ ...settings, redis: null, limitPerSecond: 0 })).toThrow(
      RangeError,
    );
  });
});
