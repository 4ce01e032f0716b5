import type { Redis } from 'ioredis';
import { generationKey, loadingKey } from '../../src/cache/cache-keys.js';
import { createReadCache, type ReadCacheOptions } from '../../src/cache/cache.module.js';
import type { CachedRead, ReadCache } from '../../src/cache/read-cache.js';
import { GatewayError } from '../../src/common/errors/gateway-error.js';
import { createRedis } from '../../src/infra/redis/redis-connection.js';
import {
  availabilityOf,
  deletePrefix,
  describeWithRedis,
  testRedis,
  TEST_REDIS_URL,
  uniquePrefix,
} from '../support/redis.js';

const TTL = 30;
const STALE_TTL = 600;

/** fn, counting its calls (ESM Jest has no global `jest` object to make mocks with). */
function counted<T>(fn: () => Promise<T>): (() => Promise<T>) & { calls: number } {
  const wrapped = Object.assign(
    () => {
      wrapped.calls += 1;
      return fn();
    },
    { calls: 0 },
  );
  return wrapped;
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const parts = { op: 'list', since: 0, until: 1000, pageNumber: 1 };

describeWithRedis('ReadCache on Redis (two replicas)', () => {
  let admin: Redis;
  let prefix: string;
  const opened: { cache: ReadCache; redis: Redis }[] = [];

  /** One "replica": its own ioredis client and breaker. */
  async function replica(overrides: Partial<ReadCacheOptions> = {}): Promise<ReadCache> {
    const redis = createRedis(TEST_REDIS_URL, 500, 'read-cache-test');
    const cache = createReadCache({
      redis: availabilityOf(redis),
      ttlSeconds: TTL,
      staleTtlSeconds: STALE_TTL,
      maxEntries: 100,
      keyPrefix: prefix,
      ...overrides,
    });
    opened.push({ cache, redis });
    expect(await cache.whenReady(3000)).toBe(true);
    return cache;
  }

  beforeAll(() => {
    admin = testRedis();
  });
  beforeEach(() => {
    prefix = uniquePrefix('read-cache');
  });
  afterEach(async () => {
    for (const { cache, redis } of opened.splice(0)) {
      await cache.close();
      redis.disconnect();
    }
    await deletePrefix(admin, prefix);
  });
  afterAll(() => {
    admin.disconnect();
  });

  it('shares entries between replicas, under fingerprinted keys with a bounded TTL', async () => {
    const [a, b] = [await replica(), await replica()];
    const load = counted(async () => ({ total: 2 }));
    expect((await a.read('p1', parts, load)).outcome).toBe('miss');
    expect(await b.read('p1', parts, load)).toMatchObject({ value: { total: 2 }, outcome: 'hit' });
    expect(load.calls).toBe(1);
    const keys = await admin.keys(`${prefix}*`);
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatch(new RegExp(`^${escape(prefix)}read:\\{p1\\}:g0:[0-9a-f]{64}$`));
    const ttlMs = await admin.pttl(keys[0]);
    expect(ttlMs).toBeGreaterThan(0);
    expect(ttlMs).toBeLessThanOrEqual(STALE_TTL * 1000);
    expect(a.health()).toEqual({ backend: 'redis', healthy: true });
  });

  it('an invalidation on one replica is seen by the other at once', async () => {
    const [a, b] = [await replica(), await replica()];
    let n = 0;
    const load = counted(async () => ({ n: ++n }));
    await a.read('p1', parts, load);
    await a.read('p2', parts, load);
    expect((await b.read('p1', parts, load)).outcome).toBe('hit');
    await a.invalidatePage('p1');
    expect(await admin.get(generationKey(prefix, 'p1'))).toBe('1');
    expect(await b.read('p1', parts, load)).toMatchObject({ outcome: 'miss', value: { n: 3 } });
    expect((await b.read('p2', parts, load)).outcome).toBe('hit');
  });

  it('coalesces identical concurrent reads across replicas into one load', async () => {
    const [a, b] = [await replica(), await replica()];
    const load = counted(async () => {
      await delay(150);
      return { rows: [1, 2, 3] };
    });
    const reads = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? a : b).read('p1', parts, load)),
    );
    expect(load.calls).toBe(1);
    const outcomes = reads.map((r) => r.outcome).sort();
    expect(outcomes.filter((o) => o === 'miss')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'coalesced')).toHaveLength(19);
    expect(reads.every((r) => JSON.stringify(r.value) === '{"rows":[1,2,3]}')).toBe(true);
    expect(await admin.exists(loadingKey((await admin.keys(`${prefix}read:*:g0:*`))[0]))).toBe(0);
  });

  it('when the loading replica fails, the waiting one loads itself', async () => {
    const [a, b] = [await replica(), await replica()];
    const failing = async (): Promise<never> => {
      await delay(100);
      throw GatewayError.upstream('down for a');
    };
    const first = a.read('p1', parts, failing).catch((error: unknown) => error);
    await delay(30); // a holds the marker now
    const second = await b.read('p1', parts, async () => ({ from: 'b' }));
    expect(await first).toMatchObject({ message: 'down for a' });
    expect(second).toMatchObject({ value: { from: 'b' }, outcome: 'miss' });
  });

  it('never waits for a replica that died while loading longer than the marker bound', async () => {
    const b = await replica({ loadingMarkerMs: 300 });
    const probe = await replica();
    // Learn the entry key by reading once, then invalidate so the next read misses again.
    await probe.read('p1', parts, async () => 'first');
    const [entry] = await admin.keys(`${prefix}read:*:g0:*`);
    await admin.del(entry);
    await admin.set(loadingKey(entry), 'dead-replica', 'PX', 60_000);
    const started = Date.now();
    const read = await b.read('p1', parts, async () => 'loaded by b');
    expect(read).toMatchObject({ value: 'loaded by b', outcome: 'miss' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('brings Dates back from Redis, at any depth, deep-frozen', async () => {
    const [a, b] = [await replica(), await replica()];
    const value = {
      customers: [
        {
          id: 'c1',
          insertedAt: new Date('2024-01-02T03:04:05.678Z'),
          notes: [{ createdAt: new Date(0) }],
        },
      ],
      total: 1,
      label: '2024-01-02T03:04:05.678Z',
    };
    await a.read('p1', parts, async () => value);
    const read: CachedRead<typeof value> = await b.read('p1', parts, async () => value);
    expect(read.outcome).toBe('hit');
    expect(read.value).toEqual(value);
    expect(read.value.customers[0].insertedAt).toBeInstanceOf(Date);
    expect(read.value.customers[0].notes[0].createdAt).toBeInstanceOf(Date);
    expect(read.value.label).toBe('2024-01-02T03:04:05.678Z');
    expect(Object.isFrozen(read.value.customers[0])).toBe(true);
  });

  it('serves the last good copy from Redis when upstream fails on another replica', async () => {
    let nowMs = Date.now();
    const now = () => nowMs;
    const [a, b] = [await replica({ now }), await replica({ now })];
    await a.read('p1', parts, async () => ({ n: 1 }));
    nowMs += (TTL + 5) * 1000;
    const read = await b.read('p1', parts, async () => {
      throw GatewayError.rateLimited('slow down', 2);
    });
    expect(read).toMatchObject({
      value: { n: 1 },
      outcome: 'stale',
      stale: true,
      ageSeconds: TTL + 5,
    });
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
