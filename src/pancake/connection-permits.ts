import { abortReason } from './limiter/limiter-errors.js';

/**
 * No connection share for the page: the queue already held as many waiters as can be served
 * within the wait bound ('queue-full', refused at once), or none came within it ('timeout').
 */
export class NoConnectionShare extends Error {
  override name = 'NoConnectionShare';
  constructor(
    readonly reason: 'queue-full' | 'timeout',
    /** How long a retry should wait, at least. */
    readonly retryAfterMs: number,
  ) {
    super(`no upstream connection share (${reason})`);
  }
}

export interface ConnectionPermitsOptions {
  /** Requests of one page in flight at once. */
  perPage: number;
  /** Requests in flight at once, every page together (at least perPage). */
  total: number;
  /** Longest a request waits for a permit. */
  maxWaitMs: number;
  /** Waiters one page may have; more could not be served within maxWaitMs anyway (default: no bound). */
  maxQueuedPerPage?: number;
}

interface Waiter {
  pageId: string;
  grant(): void;
}

/**
 * Shares of the upstream connections: at most `perPage` requests in flight per page and
 * `total` overall. The transport has `total` connections, so whoever holds a permit finds a
 * connection at once; taken before the rate-limit slot, a request never leaves late because
 * it queued for a connection after its slot, and a slow page can tie up only its own share.
 * Waiters are served first come, first served among those that fit; a waiter whose wait
 * bound passes or whose signal aborts leaves the queue holding nothing.
 */
export class ConnectionPermits {
  private readonly inFlightByPage = new Map<string, number>();
  private inFlightTotal = 0;
  private readonly waiters: Waiter[] = [];
  private readonly queuedByPage = new Map<string, number>();
  private readonly perPage: number;
  private readonly total: number;
  private readonly maxWaitMs: number;
  private readonly maxQueuedPerPage: number;

  constructor(options: ConnectionPermitsOptions) {
    this.perPage = options.perPage;
    this.total = options.total;
    this.maxWaitMs = options.maxWaitMs;
    this.maxQueuedPerPage = options.maxQueuedPerPage ?? Infinity;
    if (!(this.perPage >= 1 && this.total >= this.perPage))
      throw new RangeError('ConnectionPermits: need 1 <= perPage <= total');
  }

  /** Requests of the page holding a permit now. */
  inFlight(pageId: string): number {
    return this.inFlightByPage.get(pageId) ?? 0;
  }

  /** Requests of the page waiting for a permit. */
  queued(pageId: string): number {
    return this.queuedByPage.get(pageId) ?? 0;
  }

  /** Resolves with the release function (idempotent) once the page has room. */
  acquire(pageId: string, signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    // Every release grants whatever fits, so a page with room has nobody of its own queued.
    if (this.fits(pageId)) return Promise.resolve(this.take(pageId));
    if (this.queued(pageId) >= this.maxQueuedPerPage)
      return Promise.reject(new NoConnectionShare('queue-full', this.maxWaitMs));
    return new Promise((resolve, reject) => {
      const leave = (error: unknown): void => {
        const index = this.waiters.indexOf(waiter);
        if (index < 0) return;
        this.waiters.splice(index, 1);
        this.countQueued(pageId, -1);
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        reject(error);
      };
      const onAbort = (): void => leave(abortReason(signal as AbortSignal));
      const waiter: Waiter = {
        pageId,
        grant: () => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
          resolve(this.take(pageId));
        },
      };
      const timer = setTimeout(
        () => leave(new NoConnectionShare('timeout', this.maxWaitMs)),
        this.maxWaitMs,
      );
      timer.unref(); // a bound on a wait must not keep the process alive by itself
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
      this.countQueued(pageId, 1);
    });
  }

  private fits(pageId: string): boolean {
    return this.inFlightTotal < this.total && this.inFlight(pageId) < this.perPage;
  }

  private take(pageId: string): () => void {
    this.inFlightTotal += 1;
    this.inFlightByPage.set(pageId, this.inFlight(pageId) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.inFlightTotal -= 1;
      const left = this.inFlight(pageId) - 1;
      if (left > 0) this.inFlightByPage.set(pageId, left);
      else this.inFlightByPage.delete(pageId);
      this.grantWhatFits();
    };
  }

  private grantWhatFits(): void {
    for (let i = 0; i < this.waiters.length && this.inFlightTotal < this.total;) {
      const waiter = this.waiters[i];
      if (!this.fits(waiter.pageId)) {
        i += 1;
        continue;
      }
      this.waiters.splice(i, 1);
      this.countQueued(waiter.pageId, -1);
      waiter.grant();
    }
  }

  private countQueued(pageId: string, delta: number): void {
    const count = this.queued(pageId) + delta;
    if (count > 0) this.queuedByPage.set(pageId, count);
    else this.queuedByPage.delete(pageId);
  }
}
