import { Redis } from 'ioredis';
import { RedisAvailability } from '../../infra/redis/redis-availability.js';
import { InProcessRateLimiter } from './in-process-rate-limiter.js';
import { createPageRateLimiter } from './page-rate-limiter.provider.js';
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
    const client = new Redis({ lazyConnect: true, enableOfflineQueue: false });
    const redis = new RedisAvailability(client, { timeoutMs: 500 });
    const limiter = createPageRateLimiter({ ...settings, redis, safetyFactor: 1.1 });
    expect(limiter).toBeInstanceOf(RedisRateLimiter);
    expect((limiter as RedisRateLimiter).intervalMs).toBe(220);
    expect(limiter.health()).toMatchObject({ backend: 'redis', healthy: false }); // never connected
    await limiter.close();
    client.disconnect();
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
