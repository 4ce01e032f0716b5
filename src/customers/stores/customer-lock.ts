import type { StoreErrorReporter } from './store-failures.js';

/** Injection token for the CustomerLock chosen at boot (Redis when REDIS_URL is set). */
export const CUSTOMER_LOCK = Symbol('CUSTOMER_LOCK');

export interface LockOptions {
  /** How long to wait for the lock before failing with CONFLICT (default 10 s). */
  waitMs?: number;
  /** Redis only: lease of one acquisition, extended while fn runs (default 15 s). */
  leaseMs?: number;
}

/**
 * Serializes read-merge-write per customer, across replicas on Redis. Never runs fn
 * unlocked: when the lock cannot be had, withLock rejects and fn is not called.
 */
export interface CustomerLock {
  /**
   * Runs fn while holding the lock of (pageId, customerId) and resolves to its result.
   * Rejects with GatewayError CONFLICT after waitMs (another change is running: retry),
   * or SERVICE_UNAVAILABLE when Redis fails. fn's `lease` signal aborts if the Redis
   * lease is lost while fn runs, so fn can skip its write.
   */
  withLock<T>(
    pageId: string,
    customerId: string,
    fn: (lease: AbortSignal) => Promise<T>,
    opts?: LockOptions,
  ): Promise<T>;
}

export type LockWaitOutcome = 'acquired' | 'timeout';

export interface CustomerLockOptions {
  /** Redis key prefix (default `pgw:`). */
  keyPrefix?: string;
  /** Defaults for withLock's opts. */
  waitMs?: number;
  leaseMs?: number;
  /** Told how long each withLock waited for the lock (metrics). */
  onWait?: (ms: number, outcome: LockWaitOutcome) => void;
  /** Redis only: told when a lease was lost while fn ran (fn's signal aborted); default logs a warning. */
  onLeaseLost?: (pageId: string, customerId: string) => void;
  /** Redis only: told about a failed release, which is swallowed (default: a warning log line). */
  onError?: StoreErrorReporter;
}
