import type { CustomerLock, CustomerLockOptions, LockOptions } from './customer-lock.js';
import { DEFAULT_LOCK_WAIT_MS, lockBusy } from './lock-errors.js';

/**
 * The embedded lock: per customer a promise chain, so holders run FIFO. A chain's map
 * entry is removed once its last link settles, so released keys do not accumulate.
 */
export class MemoryCustomerLock implements CustomerLock {
  private readonly tails = new Map<string, Promise<void>>();
  // Never aborts: an in-process holder cannot lose its lock.
  private readonly lease = new AbortController().signal;

  constructor(private readonly options: CustomerLockOptions = {}) {}

  async withLock<T>(
    pageId: string,
    customerId: string,
    fn: (lease: AbortSignal) => Promise<T>,
    opts: LockOptions = {},
  ): Promise<T> {
    const key = `${pageId}\u0000${customerId}`;
    const waitMs = opts.waitMs ?? this.options.waitMs ?? DEFAULT_LOCK_WAIT_MS;
    const previous = this.tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    // The next caller waits for the previous holder and for us; chain links never reject.
    const tail = previous.then(() => released);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });

    const started = performance.now();
    const acquired = await waitAtMost(previous, waitMs);
    const waited = performance.now() - started;
    this.options.onWait?.(waited, acquired ? 'acquired' : 'timeout');
    if (!acquired) {
      // Our link passes straight through, so later callers still wait for the real holder.
      release();
      throw lockBusy(waited);
    }
    try {
      return await fn(this.lease);
    } finally {
      release();
    }
  }

  /** Customers with a holder or waiters now (tests, metrics). */
  get activeKeys(): number {
    return this.tails.size;
  }
}

/** true when promise settled within ms, false on timeout. */
async function waitAtMost(promise: Promise<void>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(resolve, ms, false)));
  try {
    return await Promise.race([promise.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
