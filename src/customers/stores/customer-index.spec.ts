import { jest } from '@jest/globals';
import type { Redis } from 'ioredis';
import { ErrorCode } from '../../common/errors/error-code.js';
import { GatewayError } from '../../common/errors/gateway-error.js';
import type { CustomerRecord } from '../../pancake/pancake.model.js';
import { createRedis, waitForReady } from '../../redis/redis-connection.js';
import { MemoryBudget } from '../../cache/memory-budget.js';
import {
  deletePrefix,
  describeWithRedis,
  TEST_REDIS_URL,
  testRedis,
  uniquePrefix,
  unreachableRedis,
} from '../../../test/support/redis.js';
import { createCustomerIndex, type CustomerIndex } from './customer-index.js';
import { MemoryCustomerIndex } from './memory-customer-index.js';
import { RedisCustomerIndex } from './redis-customer-index.js';
import { indexKey } from './redis-keys.js';

function customerRecord(overrides: Partial<CustomerRecord> = {}): CustomerRecord {
  return {
    id: '5f0c3c1e-0000-4000-8000-000000000001',
    psid: '24001',
    pageId: '111',
    globalCustomerId: null,
    name: 'Nguyễn Văn A',
    phoneNumbers: ['+84912345678'],
    emails: [],
    gender: 'male',
    livesIn: null,
    birthday: '1998-00-00',
    insertedAt: new Date('2024-03-01T08:00:00.000Z'),
    updatedAt: new Date('2024-05-02T09:30:15.250Z'),
    notes: [
      {
        id: 'note-1',
        message: 'called back',
        createdAt: new Date('2024-05-02T09:30:00.000Z'),
        updatedAt: null,
        removedAt: new Date('2024-05-03T00:00:00.000Z'),
        createdBy: { uid: 'u1', name: 'Agent' },
        images: [],
        links: [],
      },
    ],
    ...overrides,
  };
}

const SEEN_AT = Date.parse('2024-06-01T12:00:00.000Z');

/** The behaviour both backends share. */
function behavesLikeACustomerIndex(make: () => CustomerIndex): void {
  it('round-trips a customer with real Dates', async () => {
    const index = make();
    const record = customerRecord();
    await index.remember([record]);
    const found = await index.lookup('111', record.id);
    expect(found).toEqual({
      pageId: '111',
      psid: '24001',
      insertedAt: record.insertedAt,
      updatedAt: record.updatedAt,
      snapshot: record,
      seenAt: new Date(SEEN_AT),
    });
    expect(found?.snapshot.notes[0].createdAt).toBeInstanceOf(Date);
    expect(found?.snapshot.notes[0].removedAt?.toISOString()).toBe('2024-05-03T00:00:00.000Z');
    expect(found?.insertedAt).toBeInstanceOf(Date);
  });

  it('keeps null dates null', async () => {
    const index = make();
    const record = customerRecord({ id: 'no-dates', insertedAt: null, updatedAt: null, notes: [] });
    await index.remember([record]);
    const found = await index.lookup('111', 'no-dates');
    expect(found?.insertedAt).toBeNull();
    expect(found?.snapshot).toEqual(record);
  });

  it('answers null for an unknown id and for an id of another page', async () => {
    const index = make();
    await index.remember([customerRecord()]);
    expect(await index.lookup('111', 'unknown-id')).toBeNull();
    expect(await index.lookup('222', customerRecord().id)).toBeNull();
  });

  it('is not changed by the caller mutating its records (in-process: the attempt throws)', async () => {
    const index = make();
    const record = customerRecord({ id: 'mutated' });
    await index.remember([record]);
    const attempt = (mutate: () => void): void => {
      try {
        mutate();
      } catch (error) {
        expect(error).toBeInstanceOf(TypeError); // frozen
      }
    };
    attempt(() => (record.name = 'changed'));
    const looked = await index.lookup('111', 'mutated');
    attempt(() => looked!.snapshot.phoneNumbers.push('x'));
    const found = await index.lookup('111', 'mutated');
    expect(found?.snapshot.name).toBe('Nguyễn Văn A');
    expect(found?.snapshot.phoneNumbers).toEqual(['+84912345678']);
  });

  it('replaces an entry when the customer is seen again, and forgets per page', async () => {
    const index = make();
    await index.remember([customerRecord({ id: 'c1', name: 'old' })]);
    await index.remember([customerRecord({ id: 'c1', name: 'new' })]);
    expect((await index.lookup('111', 'c1'))?.snapshot.name).toBe('new');
    await index.forget('222', 'c1');
    expect(await index.lookup('111', 'c1')).not.toBeNull();
    await index.forget('111', 'c1');
    expect(await index.lookup('111', 'c1')).toBeNull();
  });

  it('remembers a whole list page of 100', async () => {
    const index = make();
    const records = Array.from({ length: 100 }, (_, i) =>
      customerRecord({ id: `bulk-${i}`, psid: `p${i}` }),
    );
    await index.remember(records);
    await index.remember([]);
    for (const i of [0, 42, 99])
      expect((await index.lookup('111', `bulk-${i}`))?.psid).toBe(`p${i}`);
  });
}

describe('MemoryCustomerIndex', () => {
  behavesLikeACustomerIndex(() => new MemoryCustomerIndex({ now: () => SEEN_AT }));

  it('is bounded: the least recently used customers go first', async () => {
    const index = new MemoryCustomerIndex({ maxEntries: 3 });
    await index.remember(['a', 'b', 'c'].map((id) => customerRecord({ id })));
    await index.lookup('111', 'a'); // a is now the most recently used
    await index.remember(['d', 'e'].map((id) => customerRecord({ id })));
    expect(index.size).toBe(3);
    expect(await index.lookup('111', 'b')).toBeNull();
    expect(await index.lookup('111', 'c')).toBeNull();
    for (const id of ['a', 'd', 'e']) expect(await index.lookup('111', id)).not.toBeNull();
  });

  it('is bounded in bytes: snapshots count against the budget, least recently used go first', async () => {
    const budget = new MemoryBudget(64 * 1024);
    const index = new MemoryCustomerIndex({ budget });
    const big = (id: string) => customerRecord({ id, name: 'x'.repeat(2000), notes: [] }); // ~2.3 KB accounted
    await index.remember([big('first')]);
    const one = index.bytes;
    expect(one).toBeGreaterThan(2000);
    for (let i = 0; i < 100; i += 1) await index.remember([big(`c${i}`)]);
    expect(budget.bytes('index')).toBe(index.bytes);
    expect(index.bytes).toBeLessThanOrEqual(64 * 1024);
    expect(index.size).toBe(Math.floor((64 * 1024) / one));
    expect(await index.lookup('111', 'first')).toBeNull();
    expect(await index.lookup('111', 'c99')).not.toBeNull();
  });

  it('is what the factory builds without Redis', () => {
    const index = createCustomerIndex(null);
    expect(index).toBeInstanceOf(MemoryCustomerIndex);
    expect(index.health()).toMatchObject({ backend: 'in-process', healthy: true });
  });
});

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
    () => new RedisCustomerIndex(redis, { keyPrefix: prefix, now: () => SEEN_AT }),
  );

  it('is what the factory builds with Redis, and is healthy', () => {
    const index = createCustomerIndex(redis, { keyPrefix: prefix });
    expect(index).toBeInstanceOf(RedisCustomerIndex);
    expect(index.health()).toEqual({ backend: 'redis', healthy: true });
  });

  it('writes one key per customer under {pageId} with a 30-day TTL, in one round trip', async () => {
    const index = new RedisCustomerIndex(redis, { keyPrefix: prefix });
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
    await new RedisCustomerIndex(redis, { keyPrefix: prefix }).remember([
      customerRecord({ id: 'seen-elsewhere' }),
    ]);
    const replica = new RedisCustomerIndex(redis, { keyPrefix: prefix, onError: () => undefined });
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
    const index = new RedisCustomerIndex(redis, {
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
    const index = new RedisCustomerIndex(down.client, { onError: (op) => reports.push(op) });
    const started = performance.now();
    await expect(index.remember([customerRecord()])).resolves.toBeUndefined();
    await expect(index.forget('111', 'x')).resolves.toBeUndefined();
    expect(performance.now() - started).toBeLessThan(1000);
    expect(reports).toEqual(['customer index remember', 'customer index forget']);
    expect(index.health()).toMatchObject({ backend: 'redis', healthy: false });
  });

  it('answers lookups of customers it listed from its own copy, within the budget', async () => {
    const budget = new MemoryBudget(1024 * 1024);
    const index = new RedisCustomerIndex(down.client, { onError: () => undefined, budget });
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
    const index = new RedisCustomerIndex(down.client, { onError: () => undefined });
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
