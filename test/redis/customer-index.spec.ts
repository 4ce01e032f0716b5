import { jest } from '@jest/globals';
import type { Redis } from 'ioredis';
import { MemoryBudget } from '../../src/cache/memory-budget.js';
import { ErrorCode } from '../../src/common/errors/error-code.js';
import { GatewayError } from '../../src/common/errors/gateway-error.js';
import { RedisCustomerIndex } from '../../src/customers/stores/redis-customer-index.js';
import { indexKey } from '../../src/customers/stores/redis-keys.js';
import { createCustomerIndex } from '../../src/customers/stores/stores.providers.js';
import { createRedis, waitForReady } from '../../src/infra/redis/redis-connection.js';
import {
  behavesLikeACustomerIndex,
  customerRecord,
  SEEN_AT,
} from '../support/contracts/customer-index.contract.js';
import {
  availabilityOf,
  deletePrefix,
  describeWithRedis,
  TEST_REDIS_URL,
  testRedis,
  uniquePrefix,
  unreachableRedis,
} from '../support/redis.js';

describeWithRedis('RedisCustomerIndex', () => {
  const prefix = uniquePrefix('customer-index');
  let redis: Redis;
  let admin: Redis;

  beforeAll(async () => {
    redis = createRedis(TEST_REDIS_URL, 500, 'customer-index-spec');
    await waitForReady(redis, 2000);
    admin = testRedis();
  });

  afterAll(async () => {
    await deletePrefix(admin, prefix);
    await Promise.all([redis.quit(), admin.quit()]);
  });

  behavesLikeACustomerIndex(
    () => new RedisCustomerIndex(availabilityOf(redis), { keyPrefix: prefix, now: () => SEEN_AT }),
  );

  it('is what the factory builds with Redis, and is healthy', () => {
    const index = createCustomerIndex(availabilityOf(redis), { keyPrefix: prefix });
    expect(index).toBeInstanceOf(RedisCustomerIndex);
    expect(index.health()).toEqual({ backend: 'redis', healthy: true });
  });

  it('writes one key per customer under {pageId} with a 30-day TTL, in one round trip', async () => {
    const index = new RedisCustomerIndex(availabilityOf(redis), { keyPrefix: prefix });
    const pipeline = jest.spyOn(redis, 'pipeline');
    const set = jest.spyOn(redis, 'set');
    await index.remember(
      Array.from({ length: 100 }, (_, i) => customerRecord({ id: `ttl-${i}`, pageId: '333' })),
    );
    expect(pipeline).toHaveBeenCalledTimes(1);
    expect(set).not.toHaveBeenCalled();
    pipeline.mockRestore();
    set.mockRestore();
    const key = indexKey(prefix, '333', 'ttl-7');
    expect(key).toBe(`${prefix}idx:{333}:ttl-7`);
    const ttl = await admin.ttl(key);
    expect(ttl).toBeGreaterThan(30 * 86_400 - 10);
    expect(ttl).toBeLessThanOrEqual(30 * 86_400);
  });

  it('keeps what Redis answered: a later lookup Redis cannot answer is answered from that copy', async () => {
    await new RedisCustomerIndex(availabilityOf(redis), { keyPrefix: prefix }).remember([
      customerRecord({ id: 'seen-elsewhere' }),
    ]);
    const replica = new RedisCustomerIndex(availabilityOf(redis), {
      keyPrefix: prefix,
      onError: () => undefined,
    });
    expect((await replica.lookup('111', 'seen-elsewhere'))?.psid).toBe('24001');
    const get = jest.spyOn(redis, 'get').mockRejectedValue(new Error('Connection is closed.'));
    try {
      expect((await replica.lookup('111', 'seen-elsewhere'))?.psid).toBe('24001');
      await expect(replica.lookup('111', 'never-seen')).rejects.toMatchObject({
        code: ErrorCode.SERVICE_UNAVAILABLE,
      });
    } finally {
      get.mockRestore();
    }
  });

  it('treats an unreadable entry as unknown', async () => {
    const reports: string[] = [];
    const index = new RedisCustomerIndex(availabilityOf(redis), {
      keyPrefix: prefix,
      onError: (op) => reports.push(op),
    });
    await admin.set(indexKey(prefix, '111', 'corrupt'), '{not json');
    expect(await index.lookup('111', 'corrupt')).toBeNull();
    expect(reports).toEqual(['customer index decode']);
  });
});

describe('RedisCustomerIndex with Redis down', () => {
  const down = unreachableRedis('customer-index-dead');

  it('swallows and reports failed writes, and turns unhealthy', async () => {
    const reports: string[] = [];
    const index = new RedisCustomerIndex(down.redis, { onError: (op) => reports.push(op) });
    const started = performance.now();
    await expect(index.remember([customerRecord()])).resolves.toBeUndefined();
    await expect(index.forget('111', 'x')).resolves.toBeUndefined();
    expect(performance.now() - started).toBeLessThan(1000);
    expect(reports).toEqual(['customer index remember', 'customer index forget']);
    expect(index.health()).toMatchObject({ backend: 'redis', healthy: false });
  });

  it('answers lookups of customers it listed from its own copy, within the budget', async () => {
    const budget = new MemoryBudget(1024 * 1024);
    const index = new RedisCustomerIndex(down.redis, { onError: () => undefined, budget });
    const record = customerRecord({ id: 'listed-here' });
    await index.remember([record]);
    expect(budget.bytes('index')).toBeGreaterThan(0);
    expect(await index.lookup('111', 'listed-here')).toMatchObject({
      pageId: '111',
      psid: '24001',
      snapshot: record,
    });
    expect(index.health()).toMatchObject({ backend: 'redis', healthy: false });
    await index.forget('111', 'listed-here');
    await expect(index.lookup('111', 'listed-here')).rejects.toMatchObject({
      code: ErrorCode.SERVICE_UNAVAILABLE,
    });
  });

  it('fails lookups it cannot answer fast with SERVICE_UNAVAILABLE instead of answering "unknown"', async () => {
    const index = new RedisCustomerIndex(down.redis, { onError: () => undefined });
    await index.remember([customerRecord({ id: 'listed-on-page-111' })]);
    await expect(index.lookup('222', 'listed-on-page-111')).rejects.toMatchObject({
      code: ErrorCode.SERVICE_UNAVAILABLE,
    });
    const started = performance.now();
    const error = await index.lookup('111', 'x').catch((e: unknown) => e);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(error).toBeInstanceOf(GatewayError);
    expect(error).toMatchObject({ code: ErrorCode.SERVICE_UNAVAILABLE, retryAfterSeconds: 1 });
    expect((error as Error).message).toMatch(/customer index is unavailable/);
  });
});
