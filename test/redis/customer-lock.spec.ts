import { setTimeout as sleep } from 'node:timers/promises';
import { ErrorCode } from '../../src/common/errors/error-code.js';
import { GatewayError } from '../../src/common/errors/gateway-error.js';
import { RedisCustomerLock } from '../../src/customers/stores/redis-customer-lock.js';
import { lockKey } from '../../src/customers/stores/redis-keys.js';
import { createCustomerLock } from '../../src/customers/stores/stores.providers.js';
import { createRedis, waitForReady } from '../../src/infra/redis/redis-connection.js';
import {
  behavesLikeACustomerLock,
  contend,
  errorOf,
  expectStrictlySerial,
  waitRecorder,
} from '../support/contracts/customer-lock.contract.js';
import {
  availabilityOf,
  describeWithRedis,
  replicaConnections,
  TEST_REDIS_URL,
  unreachableRedis,
} from '../support/redis.js';

describeWithRedis('RedisCustomerLock', () => {
  const redis = replicaConnections('customer-lock');
  const { prefix } = redis;

  // `other` sits on a second connection: two replicas sharing one Redis.
  behavesLikeACustomerLock(
    () => new RedisCustomerLock(redis.a, { keyPrefix: prefix }),
    () => new RedisCustomerLock(redis.b, { keyPrefix: prefix }),
  );

  it('excludes each other across two instances on separate connections', async () => {
    const a = new RedisCustomerLock(redis.a, { keyPrefix: prefix });
    const b = new RedisCustomerLock(redis.b, { keyPrefix: prefix });
    const events = await contend([a, b], 'two-replicas', 6, 20);
    expectStrictlySerial(events, 6);
  });

  it('holds the key {pageId}-tagged with a token for the lease, and deletes it on release', async () => {
    const lock = new RedisCustomerLock(redis.a, { keyPrefix: prefix, leaseMs: 5000 });
    const key = lockKey(prefix, '111', 'layout');
    expect(key).toBe(`${prefix}lock:{111}:layout`);
    await lock.withLock('111', 'layout', async () => {
      expect(await redis.admin.get(key)).toMatch(/^[0-9a-f-]{36}$/);
      const pttl = await redis.admin.pttl(key);
      expect(pttl).toBeGreaterThan(4000);
      expect(pttl).toBeLessThanOrEqual(5000);
    });
    expect(await redis.admin.exists(key)).toBe(0);
  });

  it('extends the lease while a slow fn runs, so nobody else gets in', async () => {
    const lock = new RedisCustomerLock(redis.a, { keyPrefix: prefix });
    const rival = new RedisCustomerLock(redis.b, { keyPrefix: prefix });
    const key = lockKey(prefix, '111', 'slow');
    let rivalError: unknown;
    let signal!: AbortSignal;
    await lock.withLock(
      '111',
      'slow',
      async (lease) => {
        signal = lease;
        await sleep(350); // well past the 150 ms lease
        expect(await redis.admin.pttl(key)).toBeGreaterThan(0);
        rivalError = await errorOf(
          rival.withLock('111', 'slow', async () => undefined, { waitMs: 250 }),
        );
      },
      { leaseMs: 150 },
    );
    expect(rivalError).toMatchObject({ code: ErrorCode.CONFLICT });
    expect(signal.aborted).toBe(false);
    expect(await redis.admin.exists(key)).toBe(0);
  });

  it('releases only its own token, and aborts fn`s signal when the lease is taken over', async () => {
    const lost: string[] = [];
    const lock = new RedisCustomerLock(redis.a, {
      keyPrefix: prefix,
      onLeaseLost: (pageId, customerId) => lost.push(`${pageId}/${customerId}`),
    });
    const key = lockKey(prefix, '111', 'owner');
    let signal!: AbortSignal;
    await lock.withLock(
      '111',
      'owner',
      async (lease) => {
        signal = lease;
        // As if our lease expired and another replica took the lock.
        await redis.admin.set(key, 'someone-else', 'PX', 10_000);
        await sleep(150);
      },
      { leaseMs: 90 },
    );
    expect(await redis.admin.get(key)).toBe('someone-else');
    expect(signal.aborted).toBe(true);
    expect(signal.reason).toMatchObject({ code: ErrorCode.CONFLICT });
    expect(lost).toEqual(['111/owner']);
    await redis.admin.del(key);
  });

  it('reports a failed release instead of failing a change that already happened', async () => {
    const doomed = createRedis(TEST_REDIS_URL, 500, 'customer-lock-spec-doomed');
    await waitForReady(doomed, 2000);
    const reports: string[] = [];
    const lock = new RedisCustomerLock(availabilityOf(doomed), {
      keyPrefix: prefix,
      onError: (operation) => reports.push(operation),
    });
    const result = await lock.withLock('111', 'doomed', async () => {
      doomed.disconnect(); // Redis goes away while the upstream write runs
      return 'written';
    });
    expect(result).toBe('written');
    expect(reports).toEqual(['customer lock release']);
    await redis.admin.del(lockKey(prefix, '111', 'doomed'));
  });

  it('reports each wait through onWait, timeouts included', async () => {
    const recorder = waitRecorder();
    const lock = new RedisCustomerLock(redis.a, { keyPrefix: prefix, onWait: recorder.onWait });
    const holding = lock.withLock('111', 'waits', () => sleep(200));
    await sleep(20);
    await errorOf(lock.withLock('111', 'waits', async () => undefined, { waitMs: 50 }));
    await holding;
    expect(recorder.waits.map(([, outcome]) => outcome)).toEqual(['acquired', 'timeout']);
    expect(recorder.waits[1][0]).toBeGreaterThanOrEqual(45);
  });

  it('is what the factory builds with Redis', () => {
    expect(createCustomerLock(redis.a, { keyPrefix: prefix })).toBeInstanceOf(RedisCustomerLock);
  });
});

describe('RedisCustomerLock with Redis down', () => {
  const down = unreachableRedis('customer-lock-dead');

  it('fails fast with a clear SERVICE_UNAVAILABLE and never runs fn unlocked', async () => {
    const lock = new RedisCustomerLock(down.redis);
    let ran = false;
    const started = performance.now();
    const error = await errorOf(
      lock.withLock('111', 'c1', async () => {
        ran = true;
      }),
    );
    expect(performance.now() - started).toBeLessThan(1000);
    expect(ran).toBe(false);
    expect(error).toBeInstanceOf(GatewayError);
    expect(error).toMatchObject({ code: ErrorCode.SERVICE_UNAVAILABLE });
    expect((error as Error).message).toMatch(/customer lock is unavailable.*nothing was changed/);
  });
});
