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
import { redisProxy } from '../support/redis-proxy.js';
import { generationKey } from '../../src/cache/cache-keys.js';
import { createReadCache } from '../../src/cache/cache.module.js';
import type { ReadCache } from '../../src/cache/read-cache.js';
import { createRedis, waitForReady } from '../../src/infra/redis/redis-connection.js';

const COMMAND_TIMEOUT_MS = 200;
const parts = { op: 'list', since: 0, until: 1000, pageNumber: 1 };

/** A Redis "replica" of the cache pointed at url, plus its ioredis client. */
function cacheAt(
  url: string,
  keyPrefix = 'pgw-test:unused:',
  recheckMs = 1000,
): { cache: ReadCache; redis: Redis } {
  const redis = createRedis(url, COMMAND_TIMEOUT_MS, 'read-cache-failure-test');
  const cache = createReadCache({
    redis: availabilityOf(redis, { timeoutMs: COMMAND_TIMEOUT_MS, recheckMs }),
    ttlSeconds: 30,
    staleTtlSeconds: 600,
    maxEntries: 100,
    keyPrefix,
  });
  return { cache, redis };
}

async function timed<T>(work: Promise<T>): Promise<{ result: T; ms: number }> {
  const started = Date.now();
  const result = await work;
  return { result, ms: Date.now() - started };
}

/** Accepts connections and never writes a byte: a Redis that hangs from the start. */
async function silentServer(): Promise<{ url: string; stop: () => Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined).on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

describe('ReadCache with Redis unreachable', () => {
  it('dead port: reads go to the loader at once, invalidations do not hang, health is unhealthy', async () => {
    const { cache, redis } = cacheAt(UNREACHABLE_REDIS_URL);
    try {
      expect(await cache.whenReady(300)).toBe(false);
      for (let i = 0; i < 3; i += 1) {
        const { result, ms } = await timed(cache.read('p1', parts, async () => ({ i })));
        expect(result).toMatchObject({ value: { i }, outcome: 'bypass', stale: false });
        expect(ms).toBeLessThan(COMMAND_TIMEOUT_MS);
      }
      const invalidation = await timed(cache.invalidatePage('p1'));
      expect(invalidation.ms).toBeLessThan(COMMAND_TIMEOUT_MS);
      const health = cache.health();
      expect(health).toMatchObject({ backend: 'redis', healthy: false });
      expect(health.detail).not.toMatch(/6399|127\.0\.0\.1|redis:\/\//);
    } finally {
      await cache.close();
      redis.disconnect();
    }
  });

  it('a server that accepts and never answers: every read completes and the loader runs', async () => {
    const server = await silentServer();
    const { cache, redis } = cacheAt(server.url);
    try {
      await new Promise((resolve) => setTimeout(resolve, 100)); // both connections are open by now
      let loads = 0;
      const reads = await timed(
        Promise.all(
          [1, 2, 3].map((n) =>
            cache.read('p1', { ...parts, pageNumber: n }, async () => {
              loads += 1;
              return n;
            }),
          ),
        ),
      );
      expect(reads.result.map((r) => r.outcome)).toEqual(['bypass', 'bypass', 'bypass']);
      expect(loads).toBe(3);
      expect(reads.ms).toBeLessThan(COMMAND_TIMEOUT_MS * 5);
      await cache.invalidatePage('p1');
      expect(cache.health()).toMatchObject({ backend: 'redis', healthy: false });
    } finally {
      await cache.close();
      redis.disconnect();
      await server.stop();
    }
  });
});

describeWithRedis('ReadCache when Redis stops answering mid-flight', () => {
  let admin: Redis;
  let prefix: string;

  beforeAll(() => {
    admin = testRedis();
  });
  beforeEach(() => {
    prefix = uniquePrefix('read-cache-hung');
  });
  afterEach(async () => {
    await deletePrefix(admin, prefix);
  });
  afterAll(() => {
    admin.disconnect();
  });

  it('bounds each read by the command timeout, bypasses while degraded, and recovers', async () => {
    const proxy = await redisProxy(TEST_REDIS_URL);
    const { cache, redis } = cacheAt(proxy.url, prefix, 100);
    try {
      await waitForReady(redis, 2000);
      expect(await cache.whenReady(2000)).toBe(true);
      await cache.read('p1', parts, async () => 'cached');
      expect((await cache.read('p1', parts, async () => 'unused')).outcome).toBe('hit');

      proxy.freeze();
      let loads = 0;
      const hung = await timed(
        cache.read('p1', parts, async () => {
          loads += 1;
          return 'from upstream';
        }),
      );
      expect(hung.result).toMatchObject({ value: 'from upstream', outcome: 'bypass' });
      expect(loads).toBe(1);
      expect(hung.ms).toBeLessThan(COMMAND_TIMEOUT_MS * 5);
      expect(cache.health()).toMatchObject({
        healthy: false,
        detail: expect.stringMatching(/bypassing the cache/),
      });

      // Degraded: the next read does not wait on Redis at all.
      const next = await timed(cache.read('p1', parts, async () => 'again'));
      expect(next.result.outcome).toBe('bypass');
      expect(next.ms).toBeLessThan(COMMAND_TIMEOUT_MS);

      // A mutation while Redis is silent is remembered and written once it answers again.
      await cache.invalidatePage('p1');
      proxy.thaw();
      await until(() => cache.health().healthy, 5000);
      expect(await admin.get(generationKey(prefix, 'p1'))).toBe('1');
      expect(await cache.read('p1', parts, async () => 'fresh')).toMatchObject({
        value: 'fresh',
        outcome: 'miss',
      });
      expect((await cache.read('p1', parts, async () => 'unused')).outcome).toBe('hit');
    } finally {
      await cache.close();
      redis.disconnect();
      await proxy.stop();
    }
  });
});
