// What every CustomerLock promises, run against each backend (src/customers/stores and test/redis).
import { setTimeout as sleep } from 'node:timers/promises';
import { ErrorCode } from '../../../src/common/errors/error-code.js';
import { GatewayError } from '../../../src/common/errors/gateway-error.js';
import type { CustomerLock, LockWaitOutcome } from '../../../src/customers/stores/customer-lock.js';

/** Runs `count` concurrent withLock calls on one key; returns the start/end event log. */
export async function contend(
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
export function expectStrictlySerial(events: string[], count: number): void {
  expect(events).toHaveLength(count * 2);
  for (let i = 0; i < events.length; i += 2) {
    expect(events[i]).toMatch(/^start \d+$/);
    expect(events[i + 1]).toBe(events[i].replace('start', 'end'));
  }
}

export async function errorOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}

/** The behaviour both backends share; `make` builds a lock, `other` one that must exclude it. */
export function behavesLikeACustomerLock(
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

export function waitRecorder(): {
  onWait: (ms: number, outcome: LockWaitOutcome) => void;
  waits: [number, LockWaitOutcome][];
} {
  const waits: [number, LockWaitOutcome][] = [];
  return { waits, onWait: (ms, outcome) => waits.push([ms, outcome]) };
}
