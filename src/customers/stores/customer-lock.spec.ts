import { setTimeout as sleep } from 'node:timers/promises';
import { ErrorCode } from '../../common/errors/error-code.js';
import { GatewayError } from '../../common/errors/gateway-error.js';
import { createRedis, waitForReady } from '../../redis/redis-connection.js';
import {
  describeWithRedis,
  replicaConnections,
  TEST_REDIS_URL,
  unreachableRedis,
} from '../../../test/support/redis.js';
import { createCustomerLock, type CustomerLock, type LockWaitOutcome } from './customer-lock.js';
import { MemoryCustomerLock } from './memory-customer-lock.js';
import { RedisCustomerLock } from './redis-customer-lock.js';
import { lockKey } from './redis-keys.js';

/** Runs `count` concurrent withLock calls on one key; returns the start/end event log. */
async function contend(
  locks: CustomerLock[],
  customerId: string,
  count: number,
  holdMs: number,
): Promise<string[]> {
  const events: string[] = [];
  await Promise.all(
    Array.from({ length: count }, (_, i) =>
      locks[i % locks.length].withLock('111', customerId, async () => {
        events.push(`start ${i}`);
        await sleep(holdMs);
        events.push(`end ${i}`);
      }),
    ),
  );
  return events;
}

/** Every start is followed by its own end before anything else starts. */
function expectStrictlySerial(events: string[], count: number): void {
  expect(events).toHaveLength(count * 2);
  for (let i = 0; i < events.length; i += 2) {
    expect(events[i]).toMatch(/^start \d+$/);
    expect(events[i + 1]).toBe(events[i].replace('start', 'end'));
  }
}

async function errorOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}

/** The behaviour both backends share; `make` builds a lock, `other` one that must exclude it. */
function behavesLikeACustomerLock(
  make: () => CustomerLock,
  other: () => CustomerLock = make,
): void {
  it('runs concurrent changes of one customer strictly one after the other', async () => {
    const events = await contend([make(), other()], 'serial', 4, 30);
    expectStrictlySerial(events, 4);
  });

  it('runs changes of different customers in parallel', async () => {
    const lock = make();
    const events: string[] = [];
    const run = (id: string) =>
      lock.withLock('111', id, async () => {
        events.push(`start ${id}`);
        await sleep(100);
        events.push(`end ${id}`);
      });
    await Promise.all([run('p1'), run('p2')]);
    expect(events.slice(0, 2).sort()).toEqual(['start p1', 'start p2']);
  });

  it('resolves to the result of fn, passes its error through, and releases either way', async () => {
    const lock = make();
    expect(await lock.withLock('111', 'result', async () => 42)).toBe(42);
    await expect(
      lock.withLock('111', 'result', async () => {
        throw new Error('upstream failed');
      }),
    ).rejects.toThrow('upstream failed');
    const started = performance.now();
    expect(await lock.withLock('111', 'result', async () => 'again', { waitMs: 1000 })).toBe(
      'again',
    );
    expect(performance.now() - started).toBeLessThan(200);
  });

  it('gives up after waitMs with CONFLICT and does not run fn', async () => {
    const holder = make();
    const waiter = other();
    let entered!: () => void;
    const held = new Promise<void>((resolve) => (entered = resolve));
    const holding = holder.withLock('111', 'busy', async () => {
      entered();
      await sleep(600);
    });
    await held;
    let ran = false;
    const started = performance.now();
    const error = await errorOf(
      waiter.withLock(
        '111',
        'busy',
        async () => {
          ran = true;
        },
        { waitMs: 100 },
      ),
    );
    const waited = performance.now() - started;
    expect(error).toBeInstanceOf(GatewayError);
    expect(error).toMatchObject({ code: ErrorCode.CONFLICT, retryAfterSeconds: 1 });
    expect((error as Error).message).toMatch(/another change to this customer is in progress/i);
    expect(waited).toBeGreaterThanOrEqual(90);
    expect(waited).toBeLessThan(450);
    expect(ran).toBe(false);
    await holding;
    expect(await waiter.withLock('111', 'busy', async () => 'after')).toBe('after');
  });
}

function waitRecorder(): {
  onWait: (ms: number, outcome: LockWaitOutcome) => void;
  waits: [number, LockWaitOutcome][];
} {
  const waits: [number, LockWaitOutcome][] = [];
  return { waits, onWait: (ms, outcome) => waits.push([ms, outcome]) };
}

describe('MemoryCustomerLock', () => {
  // One instance per test: in-process, exclusion holds within one lock instance.
  let shared: MemoryCustomerLock;
  beforeEach(() => {
    shared = new MemoryCustomerLock();
  });
  behavesLikeACustomerLock(() => shared);

  it('hands the lock over in arrival order', async () => {
    const events = await contend([new MemoryCustomerLock()], 'fifo', 4, 10);
    expect(events).toEqual([
      'start 0',
      'end 0',
      'start 1',
      'end 1',
      'start 2',
      'end 2',
      'start 3',
      'end 3',
    ]);
  });

  it('keeps no map entry once a customer is released, timeouts included', async () => {
    const lock = new MemoryCustomerLock();
    const holding = lock.withLock('111', 'leak', () => sleep(150));
    const queued = lock.withLock('111', 'leak', () => sleep(10));
    const timedOut = errorOf(lock.withLock('111', 'leak', () => sleep(10), { waitMs: 20 }));
    await contend([lock], 'other', 3, 5);
    expect(lock.activeKeys).toBe(1);
    expect(await timedOut).toMatchObject({ code: ErrorCode.CONFLICT });
    await Promise.all([holding, queued]);
    await sleep(0);
    expect(lock.activeKeys).toBe(0);
  });

  it('lets a timed-out waiter not break the order of those behind it', async () => {
    const lock = new MemoryCustomerLock();
    const events: string[] = [];
    const holding = lock.withLock('111', 'order', async () => {
      events.push('start holder');
      await sleep(100);
      events.push('end holder');
    });
    const gaveUp = errorOf(
      lock.withLock('111', 'order', async () => events.push('never'), { waitMs: 20 }),
    );
    const next = lock.withLock('111', 'order', async () => events.push('next'));
    await Promise.all([holding, gaveUp, next]);
    expect(events).toEqual(['start holder', 'end holder', 'next']);
  });

  it('reports each wait through onWait', async () => {
    const recorder = waitRecorder();
    const lock = new MemoryCustomerLock({ onWait: recorder.onWait });
    await contend([lock], 'waits', 2, 50);
    expect(recorder.waits.map(([, outcome]) => outcome)).toEqual(['acquired', 'acquired']);
    expect(recorder.waits[1][0]).toBeGreaterThanOrEqual(40);
  });

  it('is what the factory builds without Redis', () => {
    expect(createCustomerLock(null)).toBeInstanceOf(MemoryCustomerLock);
  });
});

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
    const lock = new RedisCustomerLock(doomed, {
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
    const lock = new RedisCustomerLock(down.client);
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
