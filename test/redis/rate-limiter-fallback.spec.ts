import net from 'node:net';
import type { Redis } from 'ioredis';
import {
  availabilityOf,
  deletePrefix,
  describeWithRedis,
  testRedis,
  TEST_REDIS_URL,
  uniquePrefix,
  until,
  UNREACHABLE_REDIS_URL,
} from '../support/redis.js';
import { createRedis, waitForReady } from '../../src/infra/redis/redis-connection.js';
import { limiterKeys } from '../../src/pancake/limiter/redis-limiter-scripts.js';
import { RedisRateLimiter } from '../../src/pancake/limiter/redis-rate-limiter.js';

/** A TCP proxy in front of Redis that can stop forwarding (hang), go away and come back. */
async function startProxy(targetUrl: string) {
  const target = new URL(targetUrl);
  const sockets = new Set<net.Socket>();
  let frozen = false;
  const handler = (client: net.Socket): void => {
    const upstream = net.connect(Number(target.port || 6379), target.hostname);
    const end = (): void => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    sockets.add(client).add(upstream);
    client.on('data', (data) => !frozen && upstream.write(data));
    upstream.on('data', (data) => !frozen && client.write(data));
    for (const socket of [client, upstream]) socket.on('close', end).on('error', end);
  };
  const listen = (port: number) =>
    new Promise<net.Server>((resolve) => {
      const server = net.createServer(handler);
      server.listen(port, '127.0.0.1', () => resolve(server));
    });
  let server = await listen(0);
  const port = (server.address() as net.AddressInfo).port;
  const stop = async (): Promise<void> => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  };
  return {
    url: `redis://127.0.0.1:${port}`,
    freeze: () => (frozen = true),
    stop,
    restart: async () => {
      server = await listen(port);
    },
  };
}

/**
 * Runs acquires one after another; returns the slot each was given. Slot times, not callback
 * times: a busy event loop (another Jest worker, a GC pause) runs a callback late, never a slot.
 */
async function grantTimes(rl: RedisRateLimiter, pageId: string, count: number): Promise<number[]> {
  const pending = Array.from({ length: count }, () => rl.acquire(pageId).then((g) => g.slotAt));
  return Promise.all(pending);
}

describe('RedisRateLimiter with Redis unreachable', () => {
  it('does not hang on a dead port: runs at the fallback rate and reports unhealthy', async () => {
    const redis = createRedis(UNREACHABLE_REDIS_URL, 200, 'limiter-dead-port');
    const rl = new RedisRateLimiter({
      redis: availabilityOf(redis, { timeoutMs: 1000 }),
      limitPerSecond: 10,
      maxWaitMs: 5000,
      fallbackPerSecond: 2,
    });
    try {
      const started = Date.now();
      const granted = await grantTimes(rl, 'p', 3);
      // Fallback 2/s -> 525 ms spacing: 0, 525, 1050, never a wait on Redis.
      expect(granted[0] - started).toBeLessThan(100);
      expect(granted[1] - started).toBeGreaterThanOrEqual(520);
      expect(granted[2] - started).toBeGreaterThanOrEqual(1045);
      expect(granted[2] - started).toBeLessThan(1300);
      const health = rl.health();
      expect(health).toMatchObject({ backend: 'redis', healthy: false });
      expect(health.detail).toMatch(/fallback at 2\/s/);
      expect(health.detail).not.toMatch(/6399|127\.0\.0\.1|redis:\/\//);
      await rl.pause('p', 100); // resolves even though Redis is down
    } finally {
      await rl.close();
      redis.disconnect();
    }
  });
});

describeWithRedis('RedisRateLimiter losing and regaining Redis', () => {
  let admin: Redis;
  let prefix: string;

  beforeAll(() => {
    admin = testRedis();
  });
  beforeEach(() => {
    prefix = uniquePrefix('limiter-fallback');
  });
  afterEach(async () => {
    await deletePrefix(admin, prefix);
  });
  afterAll(() => {
    admin.disconnect();
  });

  it('bounds a Redis that stops answering with its own timeout, then uses the fallback', async () => {
    const proxy = await startProxy(TEST_REDIS_URL);
    // A lax client timeout: the breaker's own bound on every call must be what saves us.
    const redis = createRedis(proxy.url, 10_000, 'limiter-hung');
    const rl = new RedisRateLimiter({
      redis: availabilityOf(redis, { timeoutMs: 200, recheckMs: 60_000 }),
      limitPerSecond: 10,
      maxWaitMs: 5000,
      fallbackPerSecond: 2,
      keyPrefix: prefix,
    });
    try {
      await waitForReady(redis, 2000);
      await rl.acquire('p');
      proxy.freeze();
      const started = Date.now();
      await rl.acquire('p');
      const elapsed = Date.now() - started;
      expect(elapsed).toBeGreaterThanOrEqual(190);
      expect(elapsed).toBeLessThan(800);
      expect(rl.health()).toMatchObject({
        healthy: false,
        detail: expect.stringContaining('no answer within 200 ms'),
      });
      // Degraded: the next callers go straight to the fallback, without touching Redis.
      const before = Date.now();
      const { slotAt } = await rl.acquire('other-page');
      expect(slotAt - before).toBeLessThan(50);
    } finally {
      await rl.close();
      redis.disconnect();
      await proxy.stop();
    }
  });

  it('falls back while the connection is down and returns to Redis when it answers again', async () => {
    const proxy = await startProxy(TEST_REDIS_URL);
    const redis = createRedis(proxy.url, 500, 'limiter-recovery');
    const rl = new RedisRateLimiter({
      redis: availabilityOf(redis, { timeoutMs: 1000, recheckMs: 100 }),
      limitPerSecond: 10,
      maxWaitMs: 5000,
      fallbackPerSecond: 2,
      keyPrefix: prefix,
    });
    const tatKey = limiterKeys(prefix, 'p').tat;
    try {
      await waitForReady(redis, 2000);
      await rl.acquire('p');
      expect(rl.health().healthy).toBe(true);
      const tatBefore = await admin.get(tatKey);
      expect(tatBefore).not.toBeNull();

      await proxy.stop();
      await until(() => redis.status !== 'ready', 2000);
      const fallbackGrant = await rl.acquire('p').then((g) => g.slotAt);
      expect(rl.health()).toMatchObject({
        healthy: false,
        detail: expect.stringContaining('connection not ready'),
      });

      await proxy.restart();
      await until(() => redis.status === 'ready', 5000);
      await new Promise((resolve) => setTimeout(resolve, 150));
      const redisGrant = await rl.acquire('p').then((g) => g.slotAt);
      expect(rl.health()).toEqual({ backend: 'redis', healthy: true });
      expect(await admin.get(tatKey)).not.toBe(tatBefore);
      // The first Redis slot after the fallback keeps the fallback's spacing (525 ms at 2/s).
      expect(redisGrant - fallbackGrant).toBeGreaterThanOrEqual(520);
    } finally {
      await rl.close();
      redis.disconnect();
      await proxy.stop().catch(() => undefined);
    }
  });

  it('an idle degraded limiter recovers through health()', async () => {
    const proxy = await startProxy(TEST_REDIS_URL);
    const redis = createRedis(proxy.url, 500, 'limiter-probe');
    const rl = new RedisRateLimiter({
      redis: availabilityOf(redis, { timeoutMs: 1000, recheckMs: 100 }),
      limitPerSecond: 10,
      maxWaitMs: 5000,
      fallbackPerSecond: 2,
      keyPrefix: prefix,
    });
    try {
      await waitForReady(redis, 2000);
      await proxy.stop();
      await until(() => redis.status !== 'ready', 2000);
      expect(rl.health().healthy).toBe(false);
      await proxy.restart();
      await until(() => redis.status === 'ready', 5000);
      await until(() => rl.health().healthy, 2000);
    } finally {
      await rl.close();
      redis.disconnect();
      await proxy.stop().catch(() => undefined);
    }
  });
});
