import { jest } from '@jest/globals';
import { ErrorCode } from '../../common/errors/error-code.js';
import { GatewayError } from '../../common/errors/gateway-error.js';
import { InProcessRateLimiter } from './in-process-rate-limiter.js';
import { maxPerWindow } from './max-per-window.js';
import type { SlotGrant } from './page-rate-limiter.js';

const T0 = 1_700_000_000_000;

function limiter(overrides: Partial<ConstructorParameters<typeof InProcessRateLimiter>[0]> = {}) {
  return new InProcessRateLimiter({ limitPerSecond: 5, maxWaitMs: 10_000, ...overrides });
}

/** Starts acquires and records the fake time each one resolved at; resolves to the ms waited. */
function track(promise: Promise<SlotGrant>, into: number[]): Promise<number> {
  return promise.then((grant) => {
    into.push(Date.now());
    return grant.waitedMs;
  });
}

/** The ms the grant waited. */
const waited = (promise: Promise<SlotGrant>): Promise<number> => promise.then((g) => g.waitedMs);

describe('InProcessRateLimiter', () => {
  beforeEach(() => {
    jest.useFakeTimers({ now: T0 });
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  it('spaces grants 210 ms apart for 5/s and reports the wait', async () => {
    const rl = limiter();
    const granted: number[] = [];
    const waits = Promise.all(Array.from({ length: 6 }, () => track(rl.acquire('p1'), granted)));
    await jest.advanceTimersByTimeAsync(2000);
    expect(await waits).toEqual([0, 210, 420, 630, 840, 1050]);
    expect(granted.map((t) => t - T0)).toEqual([0, 210, 420, 630, 840, 1050]);
    expect(maxPerWindow(granted)).toBe(5);
  });

  it('keeps pages independent', async () => {
    const rl = limiter();
    const a = waited(rl.acquire('a'));
    const b = waited(rl.acquire('b'));
    await jest.advanceTimersByTimeAsync(0);
    expect(await Promise.all([a, b])).toEqual([0, 0]);
  });

  it('serves callers in arrival order (FIFO) and counts the queue', async () => {
    const rl = limiter();
    const order: number[] = [];
    const all = Array.from({ length: 8 }, (_, i) => rl.acquire('p').then(() => order.push(i)));
    expect(rl.queueLength('p')).toBe(7); // the first one needs no wait
    await jest.advanceTimersByTimeAsync(3000);
    await Promise.all(all);
    expect(order).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(rl.queueLength('p')).toBe(0);
  });

  it('refuses beyond maxWaitMs with RATE_LIMITED and a retry hint, without consuming a slot', async () => {
    const rl = limiter({ maxWaitMs: 500 });
    const ok = [rl.acquire('p'), rl.acquire('p'), rl.acquire('p')]; // slots at 0, 210, 420
    const refused = rl.acquire('p'); // would be 630 > 500
    await expect(refused).rejects.toMatchObject({
      code: ErrorCode.RATE_LIMITED,
      retryAfterSeconds: 1,
    });
    await expect(rl.acquire('p', { maxWaitMs: 100 })).rejects.toBeInstanceOf(GatewayError);
    // Nothing consumed: the next caller with room gets 630, the slot the refused ones did not take.
    const next = waited(rl.acquire('p', { maxWaitMs: 1000 }));
    await jest.advanceTimersByTimeAsync(1000);
    await Promise.all(ok);
    expect(await next).toBe(630);
  });

  it('gives a retry hint of the refused wait in seconds', async () => {
    const rl = limiter({ limitPerSecond: 1, maxWaitMs: 2000 });
    const ok = [rl.acquire('p'), rl.acquire('p'), rl.acquire('p')]; // 0, 1050, 2100? 2100 > 2000
    await expect(ok[2]).rejects.toMatchObject({ retryAfterSeconds: 3 });
    await jest.advanceTimersByTimeAsync(1100);
    await Promise.all(ok.slice(0, 2));
  });

  it('honours pause for new callers and for callers already waiting', async () => {
    const rl = limiter();
    const granted: number[] = [];
    const first = track(rl.acquire('p'), granted); // slot 0
    const second = track(rl.acquire('p'), granted); // slot 210, paused below
    await jest.advanceTimersByTimeAsync(100);
    await rl.pause('p', 2000); // until T0 + 2100
    const third = track(rl.acquire('p'), granted);
    await jest.advanceTimersByTimeAsync(3000);
    await Promise.all([first, second, third]);
    expect(granted.map((t) => t - T0)).toEqual([0, 2100, 2310]);
  });

  it('a waiter woken too late (event-loop stall) gives its slot up and reserves again', async () => {
    jest.useRealTimers(); // a real stall: fake timers always fire on time
    const rl = limiter();
    const order: string[] = [];
    const started = Date.now();
    const all = ['a', 'b', 'c'].map((name) => rl.acquire('p').then(() => order.push(name))); // 0, 210, 420
    await new Promise((resolve) => setTimeout(resolve, 10));
    while (Date.now() < started + 265) {
      // busy: b's timer (210) fires ~55 ms late (> 25 ms tolerance), c's (420) on time
    }
    await Promise.all(all);
    // b did not send 55 ms late, 155 ms before c; it took the next free slot (630) instead.
    expect(order).toEqual(['a', 'c', 'b']);
    expect(Date.now() - started).toBeGreaterThanOrEqual(625);
  });

  it('grants say when the slot is, and may depart only until lateToleranceMs after it', async () => {
    const rl = limiter({ lateToleranceMs: 25 });
    const grants = Promise.all([rl.acquire('p'), rl.acquire('p')]);
    await jest.advanceTimersByTimeAsync(210);
    const [first, second] = await grants;
    expect([first.slotAt - T0, second.slotAt - T0]).toEqual([0, 210]);
    expect(second.mayDepart()).toBe(true);
    jest.setSystemTime(T0 + 235); // a stall between waking and the write: still within 25 ms
    expect(second.mayDepart()).toBe(true);
    jest.setSystemTime(T0 + 236);
    expect(second.mayDepart()).toBe(false);
    expect(first.mayDepart()).toBe(false);
  });

  it('a request that missed its slot takes the next free one: the spacing holds where requests leave', async () => {
    const rl = limiter();
    const departures: number[] = [];
    // Each caller departs 0-300 ms after waking (stalls, connection waits); a late one acquires again.
    const delays = [0, 300, 0, 40, 0, 0, 120, 0, 0, 0, 0, 0];
    const send = async (delayMs: number): Promise<void> => {
      for (;;) {
        const grant = await rl.acquire('p');
        await new Promise((resolve) => setTimeout(resolve, delayMs));
        delayMs = 0;
        if (grant.mayDepart()) return void departures.push(Date.now());
      }
    };
    const all = Promise.all(delays.map(send));
    await jest.advanceTimersByTimeAsync(10_000);
    await all;
    expect(departures).toHaveLength(delays.length);
    expect(maxPerWindow(departures)).toBeLessThanOrEqual(5);
  });

  it('a pause that arrives after the grant closes it', async () => {
    const rl = limiter();
    const grant = await rl.acquire('p');
    expect(grant.mayDepart()).toBe(true);
    await rl.pause('p', 1000);
    expect(grant.mayDepart()).toBe(false);
  });

  it('a waiter that aborts leaves the queue and rejects with the abort reason', async () => {
    const rl = limiter();
    const controller = new AbortController();
    const first = waited(rl.acquire('p'));
    const aborted = rl.acquire('p', { signal: controller.signal });
    const third = waited(rl.acquire('p'));
    expect(rl.queueLength('p')).toBe(2);
    controller.abort(new Error('client went away'));
    await expect(aborted).rejects.toThrow('client went away');
    expect(rl.queueLength('p')).toBe(1);
    await jest.advanceTimersByTimeAsync(1000);
    // The aborted caller's slot (210) is lost, never reused: the third keeps 420.
    expect(await Promise.all([first, third])).toEqual([0, 420]);
  });

  it('rejects at once when the signal is already aborted, consuming nothing', async () => {
    const rl = limiter();
    await expect(rl.acquire('p', { signal: AbortSignal.abort() })).rejects.toMatchObject({
      name: 'AbortError',
    });
    expect((await rl.acquire('p')).waitedMs).toBe(0);
  });

  it('calls onWait with the wait of each grant', async () => {
    const onWait = jest.fn<(pageId: string, waitedMs: number) => void>();
    const rl = limiter({ onWait });
    const all = Promise.all([rl.acquire('p'), rl.acquire('p')]);
    await jest.advanceTimersByTimeAsync(500);
    await all;
    expect(onWait.mock.calls).toEqual([
      ['p', 0],
      ['p', 210],
    ]);
  });

  it('close releases waiters with SERVICE_UNAVAILABLE and refuses new callers', async () => {
    const rl = limiter();
    await rl.acquire('p');
    const waiting = rl.acquire('p');
    await rl.close();
    await expect(waiting).rejects.toMatchObject({ code: ErrorCode.SERVICE_UNAVAILABLE });
    await expect(rl.acquire('p')).rejects.toMatchObject({ code: ErrorCode.SERVICE_UNAVAILABLE });
  });

  it('reports healthy in-process', () => {
    expect(limiter().health()).toEqual({ backend: 'in-process', healthy: true });
  });

  it('keeps limit per window under random concurrent demand (fake clock)', async () => {
    const rl = limiter({ maxWaitMs: 1500 });
    const granted: number[] = [];
    const pending: Promise<unknown>[] = [];
    let refused = 0;
    for (let ms = 0; ms < 10_000; ms += 50) {
      // ~3 arrivals per 50 ms tick: 60/s against 5/s.
      for (let i = 0; i < 3; i += 1) {
        pending.push(track(rl.acquire('p'), granted).catch(() => (refused += 1)));
      }
      await jest.advanceTimersByTimeAsync(50);
    }
    await jest.advanceTimersByTimeAsync(2000);
    await Promise.all(pending);
    expect(maxPerWindow(granted)).toBeLessThanOrEqual(5);
    const rate = ((granted.length - 1) * 1000) / (granted[granted.length - 1] - granted[0]);
    expect(rate).toBeGreaterThanOrEqual(4.5);
    expect(refused).toBeGreaterThan(0);
  });
});
