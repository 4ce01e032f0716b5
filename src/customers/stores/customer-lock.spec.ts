import { setTimeout as sleep } from 'node:timers/promises';
import { ErrorCode } from '../../common/errors/error-code.js';
import {
  behavesLikeACustomerLock,
  contend,
  errorOf,
  waitRecorder,
} from '../../../test/support/contracts/customer-lock.contract.js';
import { MemoryCustomerLock } from './memory-customer-lock.js';
import { createCustomerLock } from './stores.providers.js';

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
