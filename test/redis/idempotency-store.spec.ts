import { RedisIdempotencyStore } from '../../src/customers/stores/redis-idempotency-store.js';
import { idempotencyKey } from '../../src/customers/stores/redis-keys.js';
import { createIdempotencyStore } from '../../src/customers/stores/stores.providers.js';
import { ErrorCode } from '../../src/common/errors/error-code.js';
import { GatewayError } from '../../src/common/errors/gateway-error.js';
import type { NoteRecord } from '../../src/pancake/pancake.model.js';
import {
  behavesLikeAnIdempotencyStore,
  freshKey,
  note,
  SCOPE,
} from '../support/contracts/idempotency-store.contract.js';
import { describeWithRedis, replicaConnections, unreachableRedis } from '../support/redis.js';

describeWithRedis('RedisIdempotencyStore', () => {
  const redis = replicaConnections('idempotency');
  const { prefix } = redis;

  behavesLikeAnIdempotencyStore(
    () => new RedisIdempotencyStore<NoteRecord>(redis.a, { keyPrefix: prefix }),
  );

  it('gives exactly one "started" when two replicas race on one key', async () => {
    const a = new RedisIdempotencyStore<NoteRecord>(redis.a, { keyPrefix: prefix });
    const b = new RedisIdempotencyStore<NoteRecord>(redis.b, { keyPrefix: prefix });
    const key = freshKey();
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).begin(SCOPE, key, 'fp')),
    );
    const states = results.map((r) => r.state);
    expect(states.filter((s) => s === 'started')).toHaveLength(1);
    expect(states.filter((s) => s === 'in-progress')).toHaveLength(19);
  });

  it('marks in-progress for the pending TTL and keeps results for the replay TTL', async () => {
    const store = new RedisIdempotencyStore<NoteRecord>(redis.a, {
      keyPrefix: prefix,
      ttlSeconds: 2 * 86_400,
    });
    const key = freshKey();
    const redisKey = idempotencyKey(prefix, SCOPE, key);
    expect(redisKey).toBe(`${prefix}idem:createNote%3Acrm%3A111:${key}`);
    await store.begin(SCOPE, key, 'fp');
    expect(await redis.admin.ttl(redisKey)).toBeGreaterThan(290);
    expect(await redis.admin.ttl(redisKey)).toBeLessThanOrEqual(300);
    await store.complete(SCOPE, key, 'fp', note());
    expect(await redis.admin.ttl(redisKey)).toBeGreaterThan(2 * 86_400 - 10);
  });

  it('starts again once a crashed replica`s marker expires', async () => {
    const store = new RedisIdempotencyStore<NoteRecord>(redis.a, {
      keyPrefix: prefix,
      pendingTtlSeconds: 1,
    });
    const key = freshKey();
    await store.begin(SCOPE, key, 'fp');
    expect(await store.begin(SCOPE, key, 'fp')).toEqual({ state: 'in-progress' });
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(await store.begin(SCOPE, key, 'fp')).toEqual({ state: 'started' });
  });

  it('is what the factory builds with Redis', () => {
    expect(createIdempotencyStore<NoteRecord>(redis.a, { keyPrefix: prefix })).toBeInstanceOf(
      RedisIdempotencyStore,
    );
  });
});

describe('RedisIdempotencyStore with Redis down', () => {
  const down = unreachableRedis('idempotency-dead');

  it('fails begin fast with SERVICE_UNAVAILABLE: the work must not run unguarded', async () => {
    const store = new RedisIdempotencyStore<NoteRecord>(down.redis, { onError: () => undefined });
    const started = performance.now();
    const error = await store.begin(SCOPE, 'k', 'fp').catch((e: unknown) => e);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(error).toBeInstanceOf(GatewayError);
    expect(error).toMatchObject({ code: ErrorCode.SERVICE_UNAVAILABLE });
    expect((error as Error).message).toMatch(/idempotency store is unavailable/);
  });

  it('swallows and reports complete and abandon: the work already happened or failed', async () => {
    const reports: string[] = [];
    const store = new RedisIdempotencyStore<NoteRecord>(down.redis, {
      onError: (op) => reports.push(op),
    });
    await expect(store.complete(SCOPE, 'k', 'fp', note())).resolves.toBeUndefined();
    await expect(store.abandon(SCOPE, 'k', 'fp')).resolves.toBeUndefined();
    expect(reports).toEqual(['idempotency complete', 'idempotency abandon']);
  });
});
