import { jest } from '@jest/globals';
import { ConnectionPermits, NoConnectionShare } from './connection-permits.js';

/** Resolves to 'pending' when the promise has not settled after the microtasks run. */
async function state(promise: Promise<unknown>): Promise<'pending' | 'resolved' | 'rejected'> {
  let result: 'pending' | 'resolved' | 'rejected' = 'pending';
  promise.then(
    () => (result = 'resolved'),
    () => (result = 'rejected'),
  );
  await new Promise((resolve) => setImmediate(resolve));
  return result;
}

const permits = (perPage: number, total: number, maxQueuedPerPage?: number) =>
  new ConnectionPermits({ perPage, total, maxWaitMs: 60_000, maxQueuedPerPage });

describe('ConnectionPermits', () => {
  afterEach(() => jest.useRealTimers());

  it('gives each page at most its share while other pages still get theirs', async () => {
    const p = permits(2, 8);
    await p.acquire('333');
    await p.acquire('333');
    const third = p.acquire('333');
    expect(await state(third)).toBe('pending');
    expect(await state(p.acquire('222'))).toBe('resolved');
    expect(p.inFlight('333')).toBe(2);
    expect(p.queued('333')).toBe(1);
  });

  it('keeps the total bound across pages', async () => {
    const p = permits(2, 3);
    await p.acquire('111');
    await p.acquire('111');
    const releaseOf222 = await p.acquire('222');
    const waiting = p.acquire('333');
    expect(await state(waiting)).toBe('pending');
    releaseOf222();
    expect(await state(waiting)).toBe('resolved');
  });

  it('serves waiters of a page in arrival order and skips pages still at their share', async () => {
    const p = permits(1, 2);
    const release111 = await p.acquire('111');
    const release222 = await p.acquire('222');
    const order: string[] = [];
    const a = p.acquire('111').then((r) => (order.push('111-a'), r));
    const b = p.acquire('111').then((r) => (order.push('111-b'), r));
    const c = p.acquire('222').then((r) => (order.push('222-c'), r));
    release222();
    await c;
    expect(order).toEqual(['222-c']);
    release111();
    (await a)();
    await b;
    expect(order).toEqual(['222-c', '111-a', '111-b']);
  });

  it('counts a release once, however often it is called', async () => {
    const p = permits(1, 1);
    const release = await p.acquire('111');
    release();
    release();
    await p.acquire('111');
    expect(await state(p.acquire('111'))).toBe('pending');
  });

  it('refuses at once past the queue bound, holding nothing', async () => {
    const p = permits(1, 4, 1);
    await p.acquire('333');
    const queued = p.acquire('333');
    await expect(p.acquire('333')).rejects.toMatchObject({ reason: 'queue-full' });
    expect(await state(queued)).toBe('pending');
    expect(p.queued('333')).toBe(1);
  });

  it('gives up after the wait bound and leaves the queue', async () => {
    jest.useFakeTimers();
    const p = new ConnectionPermits({ perPage: 1, total: 1, maxWaitMs: 500 });
    const release = await p.acquire('111');
    const waiting = p.acquire('111');
    jest.advanceTimersByTime(500);
    await expect(waiting).rejects.toBeInstanceOf(NoConnectionShare);
    expect(p.queued('111')).toBe(0);
    release();
    expect(p.inFlight('111')).toBe(0);
  });

  it('leaves the queue when the caller aborts', async () => {
    const p = permits(1, 1);
    const release = await p.acquire('111');
    const controller = new AbortController();
    const waiting = p.acquire('111', controller.signal);
    controller.abort(new Error('deadline'));
    await expect(waiting).rejects.toThrow('deadline');
    expect(p.queued('111')).toBe(0);
    release();
    expect(p.inFlight('111')).toBe(0);
    await expect(p.acquire('111', AbortSignal.abort())).rejects.toBeDefined();
  });

  it('refuses a share larger than the total', () => {
    expect(() => new ConnectionPermits({ perPage: 4, total: 2, maxWaitMs: 1 })).toThrow(RangeError);
  });
});
