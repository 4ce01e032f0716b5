import { ErrorCode } from '../../common/errors/error-code.js';
import { GatewayError } from '../../common/errors/gateway-error.js';
import type { NoteRecord } from '../../pancake/pancake.model.js';
import {
  describeWithRedis,
  replicaConnections,
  unreachableRedis,
} from '../../../test/support/redis.js';
import {
  createIdempotencyStore,
  fingerprintOf,
  type IdempotencyStore,
} from './idempotency-store.js';
import { MemoryIdempotencyStore } from './memory-idempotency-store.js';
import { RedisIdempotencyStore } from './redis-idempotency-store.js';
import { idempotencyKey } from './redis-keys.js';

const SCOPE = 'createNote:crm:111';

function note(overrides: Partial<NoteRecord> = {}): NoteRecord {
  return {
    id: 'note-9',
    message: 'hello',
    createdAt: new Date('2024-05-02T09:30:00.123Z'),
    updatedAt: null,
    removedAt: null,
    createdBy: { uid: 'u1', name: null },
    images: [],
    links: ['https://example.com'],
    ...overrides,
  };
}

let counter = 0;
/** A fresh key per test, so the shared Redis backend never sees one twice. */
function freshKey(): string {
  counter += 1;
  return `key-${Date.now().toString(36)}-${counter}`;
}

/** The behaviour both backends share. */
function behavesLikeAnIdempotencyStore(make: () => IdempotencyStore<NoteRecord>): void {
  const fp = fingerprintOf({ customerId: 'c1', message: 'hello' });
  const otherFp = fingerprintOf({ customerId: 'c1', message: 'bye' });

  it('goes started -> in-progress -> replay (with Dates) for one key and fingerprint', async () => {
    const store = make();
    const key = freshKey();
    expect(await store.begin(SCOPE, key, fp)).toEqual({ state: 'started' });
    expect(await store.begin(SCOPE, key, fp)).toEqual({ state: 'in-progress' });
    await store.complete(SCOPE, key, fp, note());
    const replay = await store.begin(SCOPE, key, fp);
    expect(replay).toEqual({ state: 'replay', result: note() });
    expect(replay.state === 'replay' && replay.result.createdAt).toBeInstanceOf(Date);
    expect(replay.state === 'replay' && replay.result.createdAt.toISOString()).toBe(
      '2024-05-02T09:30:00.123Z',
    );
  });

  it('answers mismatch for another fingerprint, while running and after completion', async () => {
    const store = make();
    const key = freshKey();
    await store.begin(SCOPE, key, fp);
    expect(await store.begin(SCOPE, key, otherFp)).toEqual({ state: 'mismatch' });
    await store.complete(SCOPE, key, fp, note());
    expect(await store.begin(SCOPE, key, otherFp)).toEqual({ state: 'mismatch' });
    // The rightful owner still replays; a mismatched complete changes nothing.
    await store.complete(SCOPE, key, otherFp, note({ message: 'bye' }));
    expect(await store.begin(SCOPE, key, fp)).toMatchObject({
      state: 'replay',
      result: { message: 'hello' },
    });
  });

  it('keeps scopes apart', async () => {
    const store = make();
    const key = freshKey();
    expect(await store.begin(SCOPE, key, fp)).toEqual({ state: 'started' });
    expect(await store.begin('createNote:crm:222', key, otherFp)).toEqual({ state: 'started' });
  });

  it('lets the client retry with the same key after abandon', async () => {
    const store = make();
    const key = freshKey();
    await store.begin(SCOPE, key, fp);
    await store.abandon(SCOPE, key, otherFp); // not the owner: ignored
    expect(await store.begin(SCOPE, key, fp)).toEqual({ state: 'in-progress' });
    await store.abandon(SCOPE, key, fp);
    expect(await store.begin(SCOPE, key, fp)).toEqual({ state: 'started' });
    await store.complete(SCOPE, key, fp, note());
    await store.abandon(SCOPE, key, fp); // a stored result survives a late abandon
    expect(await store.begin(SCOPE, key, fp)).toMatchObject({ state: 'replay' });
  });

  it.each([
    ['', 'must not be empty'],
    ['k'.repeat(256), 'must be at most 255 characters'],
    ['bad\nkey', 'must not contain control characters'],
    ['bad\u0000key', 'must not contain control characters'],
    ['bad\u0085key', 'must not contain control characters'],
  ])('refuses the key %j in every method', async (key, rule) => {
    const store = make();
    for (const call of [
      () => store.begin(SCOPE, key, fp),
      () => store.complete(SCOPE, key, fp, note()),
      () => store.abandon(SCOPE, key, fp),
    ]) {
      const error = await call().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(GatewayError);
      expect(error).toMatchObject({
        code: ErrorCode.BAD_USER_INPUT,
        details: { violations: [{ field: 'idempotencyKey', rule }] },
      });
    }
  });

  it('accepts a 255-character key with any printable characters', async () => {
    const store = make();
    const key = `${freshKey()}:é/ 🙂`.padEnd(255, 'x');
    expect(await store.begin(SCOPE, key, fp)).toEqual({ state: 'started' });
  });
}

describe('fingerprintOf', () => {
  it('ignores key order at every depth and hashes Dates as ISO strings', () => {
    const a = fingerprintOf({ b: 1, a: { y: [1, { q: 1, p: 2 }], x: new Date(0) } });
    const b = fingerprintOf({ a: { x: '1970-01-01T00:00:00.000Z', y: [1, { p: 2, q: 1 }] }, b: 1 });
    expect(a).toBe(b);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
  });

  it('tells different values apart', () => {
    expect(fingerprintOf({ message: 'a' })).not.toBe(fingerprintOf({ message: 'b' }));
    expect(fingerprintOf([1, 2])).not.toBe(fingerprintOf([2, 1]));
    expect(fingerprintOf({ a: undefined })).toBe(fingerprintOf({}));
  });
});

describe('MemoryIdempotencyStore', () => {
  behavesLikeAnIdempotencyStore(() => new MemoryIdempotencyStore<NoteRecord>());

  it('expires a result after ttlSeconds and a crashed in-progress marker after the pending TTL', async () => {
    let now = 1_000_000;
    const store = new MemoryIdempotencyStore<NoteRecord>({
      now: () => now,
      pendingTtlSeconds: 300,
    });
    expect(await store.begin(SCOPE, 'k', 'fp')).toEqual({ state: 'started' });
    now += 299_000;
    expect(await store.begin(SCOPE, 'k', 'fp')).toEqual({ state: 'in-progress' });
    now += 1_000;
    expect(await store.begin(SCOPE, 'k', 'fp')).toEqual({ state: 'started' });
    await store.complete(SCOPE, 'k', 'fp', note());
    now += 86_399_000;
    expect(await store.begin(SCOPE, 'k', 'fp')).toMatchObject({ state: 'replay' });
    now += 1_000;
    expect(await store.begin(SCOPE, 'k', 'other')).toEqual({ state: 'started' });
  });

  it('never keeps a result less than 24 h', async () => {
    let now = 0;
    const store = new MemoryIdempotencyStore<NoteRecord>({ now: () => now, ttlSeconds: 60 });
    await store.begin(SCOPE, 'k', 'fp');
    await store.complete(SCOPE, 'k', 'fp', note());
    now = 86_399_000;
    expect(await store.begin(SCOPE, 'k', 'fp')).toMatchObject({ state: 'replay' });
  });

  it('is bounded: expired keys go first, then the oldest', async () => {
    let now = 0;
    const store = new MemoryIdempotencyStore<NoteRecord>({
      now: () => now,
      maxEntries: 3,
      pendingTtlSeconds: 10,
    });
    await store.begin(SCOPE, 'short', 'fp'); // expires at 10 s
    await store.begin(SCOPE, 'a', 'fp');
    await store.complete(SCOPE, 'a', 'fp', note());
    await store.begin(SCOPE, 'b', 'fp');
    await store.complete(SCOPE, 'b', 'fp', note());
    now = 20_000;
    await store.begin(SCOPE, 'c', 'fp');
    expect(store.size).toBe(3);
    expect(await store.begin(SCOPE, 'a', 'fp')).toMatchObject({ state: 'replay' });
    await store.begin(SCOPE, 'd', 'fp'); // full, nothing expired: the oldest written ('a') goes
    expect(store.size).toBe(3);
    expect(await store.begin(SCOPE, 'b', 'fp')).toMatchObject({ state: 'replay' });
    expect(await store.begin(SCOPE, 'a', 'fp')).toEqual({ state: 'started' });
  });

  it('hands out the result as a copy', async () => {
    const store = new MemoryIdempotencyStore<NoteRecord>();
    const result = note();
    await store.begin(SCOPE, 'copy', 'fp');
    await store.complete(SCOPE, 'copy', 'fp', result);
    result.message = 'mutated';
    const replay = await store.begin(SCOPE, 'copy', 'fp');
    expect(replay.state === 'replay' && replay.result.message).toBe('hello');
  });

  it('is what the factory builds without Redis', () => {
    expect(createIdempotencyStore<NoteRecord>(null)).toBeInstanceOf(MemoryIdempotencyStore);
  });
});

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
    const store = new RedisIdempotencyStore<NoteRecord>(down.client, { onError: () => undefined });
    const started = performance.now();
    const error = await store.begin(SCOPE, 'k', 'fp').catch((e: unknown) => e);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(error).toBeInstanceOf(GatewayError);
    expect(error).toMatchObject({ code: ErrorCode.SERVICE_UNAVAILABLE });
    expect((error as Error).message).toMatch(/idempotency store is unavailable/);
  });

  it('swallows and reports complete and abandon: the work already happened or failed', async () => {
    const reports: string[] = [];
    const store = new RedisIdempotencyStore<NoteRecord>(down.client, {
      onError: (op) => reports.push(op),
    });
    await expect(store.complete(SCOPE, 'k', 'fp', note())).resolves.toBeUndefined();
    await expect(store.abandon(SCOPE, 'k', 'fp')).resolves.toBeUndefined();
    expect(reports).toEqual(['idempotency complete', 'idempotency abandon']);
  });
});
