/**
 * One availability breaker for every feature: a hang that one of them runs into keeps the
 * others off Redis (no command reaches the connection but the breaker's PING) until Redis
 * answers again, and then every feature is back on Redis.
 */
import { jest } from '@jest/globals';
import type { Command, Redis } from 'ioredis';
import { createReadCache } from '../../src/cache/cache.module.js';
import { ErrorCode } from '../../src/common/errors/error-code.js';
import { lockKey } from '../../src/customers/stores/redis-keys.js';
import {
  createCustomerIndex,
  createCustomerLock,
} from '../../src/customers/stores/stores.providers.js';
import { createRedis, waitForReady } from '../../src/infra/redis/redis-connection.js';
import { limiterKeys } from '../../src/pancake/limiter/redis-limiter-scripts.js';
import { RedisRateLimiter } from '../../src/pancake/limiter/redis-rate-limiter.js';
import {
  availabilityOf,
  deletePrefix,
  describeWithRedis,
  testRedis,
  TEST_REDIS_URL,
  uniquePrefix,
  until,
} from '../support/redis.js';
import { redisProxy, type RedisProxy } from '../support/redis-proxy.js';

describeWithRedis('RedisAvailability shared by the limiter, the cache and the stores', () => {
  const prefix = uniquePrefix('availability');
  let admin: Redis;
  let proxy: RedisProxy;
  let client: Redis;

  beforeAll(async () => {
    admin = testRedis();
    proxy = await redisProxy(TEST_REDIS_URL);
    client = createRedis(proxy.url, 1000, 'availability-spec');
    await waitForReady(client, 2000);
  });
  afterAll(async () => {
    client.disconnect();
    await proxy.stop();
    await deletePrefix(admin, prefix);
    admin.disconnect();
  });

  it('a hang the cache runs into keeps every feature off Redis until a PING answers', async () => {
    const redis = availabilityOf(client, { timeoutMs: 200, recheckMs: 100 });
    const cache = createReadCache({
      redis,
      ttlSeconds: 30,
      staleTtlSeconds: 60,
      maxEntries: 10,
      keyPrefix: prefix,
    });
    const limiter = new RedisRateLimiter({
      redis,
      limitPerSecond: 10,
      maxWaitMs: 5000,
      fallbackPerSecond: 5,
      keyPrefix: prefix,
    });
    const lock = createCustomerLock(redis, { keyPrefix: prefix });
    const index = createCustomerIndex(redis, { keyPrefix: prefix, onError: () => undefined });
    const sent: string[] = [];
    const send = client.sendCommand.bind(client);
    const spy = jest.spyOn(client, 'sendCommand').mockImplementation((command: Command) => {
      sent.push(command.name);
      return send(command);
    });
    try {
      proxy.freeze();
      const read = await cache.read('111', { op: 'list' }, async () => 'from upstream');
      expect(read.outcome).toBe('bypass'); // its GET got no answer: the breaker is open
      expect(sent).toEqual(['get']);

      await limiter.acquire('111'); // the fallback share
      await expect(lock.withLock('111', 'c1', async () => 'unlocked')).rejects.toMatchObject({
        code: ErrorCode.SERVICE_UNAVAILABLE,
      });
      await expect(index.lookup('111', 'c1')).rejects.toMatchObject({
        code: ErrorCode.SERVICE_UNAVAILABLE,
      });
      await cache.invalidatePage('111');
      expect(limiter.health()).toMatchObject({
        healthy: false,
        detail: expect.stringContaining('no answer within 200 ms'),
      });
      expect(index.health()).toMatchObject({ healthy: false });
      // Nothing but the breaker's PINGs reached the connection while it was open.
      expect(sent.slice(1).every((name) => name === 'ping')).toBe(true);

      proxy.thaw();
      await until(() => cache.health().healthy, 5000);
      expect(redis.ready).toBe(true);
      expect(await admin.get(`${prefix}read:{111}:gen`)).toBe('1'); // the pending bump, written
      expect(await admin.exists(limiterKeys(prefix, '111').tat)).toBe(0);

      await limiter.acquire('111');
      expect(await admin.exists(limiterKeys(prefix, '111').tat)).toBe(1);
      expect(limiter.health()).toEqual({ backend: 'redis', healthy: true });
      expect(
        await lock.withLock('111', 'c1', async () => admin.exists(lockKey(prefix, '111', 'c1'))),
      ).toBe(1);
      expect((await cache.read('111', { op: 'list' }, async () => 'fresh')).outcome).toBe('miss');
    } finally {
      spy.mockRestore();
      await limiter.close();
      redis.close();
    }
  });
});
