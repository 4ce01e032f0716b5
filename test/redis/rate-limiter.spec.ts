import type { Redis } from 'ioredis';
import { ErrorCode } from '../../src/common/errors/error-code.js';
import type { RedisAvailability } from '../../src/infra/redis/redis-availability.js';
import { createRedis, waitForReady } from '../../src/infra/redis/redis-connection.js';
import { maxPerWindow } from '../../src/pancake/limiter/max-per-window.js';
import { defaultLateToleranceMs, slotIntervalMs } from '../../src/pancake/limiter/reserve-slot.js';
import { limiterKeys } from '../../src/pancake/limiter/redis-limiter-scripts.js';
import {
  RedisRateLimiter,
  type RedisRateLimiterOptions,
} from '../../src/pancake/limiter/redis-rate-limiter.js';
import {
  availabilityOf,
  deletePrefix,
  describeWithRedis,
  testRedis,
  TEST_REDIS_URL,
  uniquePrefix,
  until,
} from '../support/redis.js';

describeWithRedis('RedisRateLimiter against Redis', () => {
  let admin: Redis;
  let prefix: string;
  const clients: Redis[] = [];
  const limiters: RedisRateLimiter[] = [];

  async function connect(): Promise<RedisAvailability> {
    const client = createRedis(TEST_REDIS_URL, 500, 'limiter-spec');
    clients.push(client);
    await waitForReady(client, 2000);
    return availabilityOf(client);
  }

  async function limiter(
    overrides: Partial<RedisRateLimiterOptions> = {},
  ): Promise<RedisRateLimiter> {
    const rl = new RedisRateLimiter({
      redis: overrides.redis ?? (await connect()),
      limitPerSecond: 10,
      maxWaitMs: 10_000,
      fallbackPerSecond: 1,
      keyPrefix: prefix,
      ...overrides,
    });
    limiters.push(rl);
    return rl;
  }

  beforeAll(() => {
    admin = testRedis();
  });
  beforeEach(() => {
    prefix = uniquePrefix('limiter');
  });
  afterEach(async () => {
    await Promise.all(limiters.splice(0).map((rl) => rl.close()));
    for (const client of clients.splice(0)) client.disconnect();
    await deletePrefix(admin, prefix);
  });
  afterAll(() => {
    admin.disconnect();
  });

  it('two instances on separate connections share one page budget', async () => {
    const [a, b] = [await limiter(), await limiter()];
    // Slot times as reserved in Redis: a callback run late by a busy event loop (another Jest
    // worker, a GC pause) would stretch or bunch times taken with Date.now() in the callback.
    const granted: number[] = [];
    const run = (rl: RedisRateLimiter) =>
      rl.acquire('shared').then((grant) => {
        granted.push(grant.slotAt);
        return grant.waitedMs;
      });
    // 24 callers at once, interleaved across the two instances: demand far above 10/s.
    const waits = await Promise.all(Array.from({ length: 24 }, (_, i) => run(i % 2 === 0 ? a : b)));
    expect(maxPerWindow(granted)).toBeLessThanOrEqual(10);
    const rate = ((granted.length - 1) * 1000) / (Math.max(...granted) - Math.min(...granted));
    expect(rate).toBeGreaterThanOrEqual(9);
    expect(rate).toBeLessThanOrEqual(10);
    expect(Math.max(...waits)).toBeGreaterThanOrEqual(23 * 105 - 20);
    expect(a.health()).toEqual({ backend: 'redis', healthy: true });
  });

  it('serves one instance’s callers FIFO', async () => {
    const rl = await limiter();
    const order: number[] = [];
    await Promise.all(
      Array.from({ length: 8 }, (_, i) => rl.acquire('fifo').then(() => order.push(i))),
    );
    expect(order).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('refuses beyond maxWaitMs with a retry hint and leaves the stored tat untouched', async () => {
    const rl = await limiter({ maxWaitMs: 300 });
    const ok = [rl.acquire('p'), rl.acquire('p'), rl.acquire('p'), rl.acquire('p')]; // 0, 105, 210, 315?
    const results = await Promise.allSettled(ok);
    expect(results.map((r) => r.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'fulfilled',
      'rejected',
    ]);
    expect((results[3] as PromiseRejectedResult).reason).toMatchObject({
      code: ErrorCode.RATE_LIMITED,
      retryAfterSeconds: 1,
    });
    // Fill the queue again, let the reservations land, then refuse once: the stored tat must not move.
    const tatKey = limiterKeys(prefix, 'q').tat;
    const full = [rl.acquire('q'), rl.acquire('q'), rl.acquire('q')];
    await new Promise((resolve) => setTimeout(resolve, 50));
    const tatFull = await admin.get(tatKey);
    await expect(rl.acquire('q', { maxWaitMs: 100 })).rejects.toMatchObject({
      code: ErrorCode.RATE_LIMITED,
    });
    expect(await admin.get(tatKey)).toBe(tatFull);
    await Promise.all(full);
  });

  it('a pause from one instance holds the page on the other, and its keys expire', async () => {
    const [a, b] = [await limiter(), await limiter()];
    await a.pause('p', 800);
    const started = Date.now();
    const { waitedMs: waited } = await b.acquire('p');
    expect(Date.now() - started).toBeGreaterThanOrEqual(780);
    expect(waited).toBeGreaterThanOrEqual(780);
    const keys = limiterKeys(prefix, 'p');
    const [pauseTtl, tatTtl] = [await admin.pttl(keys.pause), await admin.pttl(keys.tat)];
    expect(pauseTtl).toBeGreaterThan(0);
    expect(pauseTtl).toBeLessThanOrEqual(1000);
    expect(tatTtl).toBeGreaterThan(0);
    expect(tatTtl).toBeLessThanOrEqual(105 + 1000);
  });

  it('a later, shorter pause does not shorten an earlier one', async () => {
    const rl = await limiter();
    await rl.pause('p', 900);
    await rl.pause('p', 100);
    const started = Date.now();
    await rl.acquire('p');
    expect(Date.now() - started).toBeGreaterThanOrEqual(850);
  });

  it('a waiter whose timer fires too late (blocked event loop) re-reserves instead of crowding the next slot', async () => {
    // 4/s: slots ~263 ms apart, so all three are reserved well before b's, even on a busy machine.
    const rl = await limiter({ limitPerSecond: 4 });
    const intervalMs = slotIntervalMs(4);
    const toleranceMs = defaultLateToleranceMs(4, intervalMs);
    const tatKey = limiterKeys(prefix, 'late').tat;
    const order: string[] = [];
    const all = ['a', 'b', 'c'].map((name) =>
      rl.acquire('late').then((grant) => {
        order.push(name);
        return grant;
      }),
    );
    const firstSlot = (await all[0]!).slotAt; // at once: the page was idle
    // Wait until Redis holds all three slots (its tat is then the end of the third).
    let tat = 0;
    await until(() => {
      void admin.get(tatKey).then((value) => (tat = Number(value)));
      return tat >= firstSlot + 3 * intervalMs - 20;
    }, 2000);
    // b's timer fires 2 tolerances late (stalled); c's slot is still ahead when the stall ends.
    const blockUntil = firstSlot + intervalMs + 2 * toleranceMs;
    expect(blockUntil).toBeLessThan(firstSlot + 2 * intervalMs - 100);
    while (Date.now() < blockUntil) {
      // busy: an event-loop stall
    }
    await Promise.all(all);
    expect(order).toEqual(['a', 'c', 'b']);
  });

  it('a reservation whose reply was read late (this process stalled) is given up and made again', async () => {
    const rl = await limiter(); // 10/s: slots 105 ms apart, 25 ms late at most
    await rl.acquire('warm-up'); // a round trip as fast as this Redis answers
    const started = Date.now();
    const granted = rl.acquire('stalled-reply'); // the reservation is on its way to Redis now
    while (Date.now() < started + 60) {
      // busy: Redis answers slot "now" while this process cannot read the reply
    }
    const grant = await granted;
    // Read 60 ms after it was due, the first slot would leave late: the grant is the next one.
    expect(grant.slotAt - started).toBeGreaterThanOrEqual(100);
  });

  it('a waiter that aborts rejects at once and the others keep their slots', async () => {
    const rl = await limiter();
    const controller = new AbortController();
    const first = rl.acquire('p');
    const aborted = rl.acquire('p', { signal: controller.signal });
    const third = rl.acquire('p');
    setTimeout(() => controller.abort(new Error('gone')), 20);
    await expect(aborted).rejects.toThrow('gone');
    const grants = await Promise.all([first, third]);
    expect(grants[1].waitedMs).toBeGreaterThanOrEqual(200); // the aborted caller's slot is lost, not reused
    expect(rl.queueLength('p')).toBe(0);
  });
});
