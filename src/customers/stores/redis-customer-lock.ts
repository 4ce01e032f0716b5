import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Logger } from '@nestjs/common';
import { ErrorCode } from '../../common/errors/error-code.js';
import { GatewayError } from '../../common/errors/gateway-error.js';
import { DELETE_IF_OWNED, luaScript } from '../../infra/redis/lua-script.js';
import type { RedisAvailability } from '../../infra/redis/redis-availability.js';
import { RedisUnavailableError } from '../../infra/redis/redis-failure.js';
import { DEFAULT_KEY_PREFIX } from '../../infra/redis/redis-keys.js';
import type { CustomerLock, CustomerLockOptions, LockOptions } from './customer-lock.js';
import { DEFAULT_LOCK_LEASE_MS, DEFAULT_LOCK_WAIT_MS, lockBusy } from './lock-errors.js';
import { lockKey } from './redis-keys.js';
import { loggingReporter, storeUnavailable, type StoreErrorReporter } from './store-failures.js';

// Only the owner's token may extend (or release, DELETE_IF_OWNED): an expired holder must not
// keep or free a successor's lock.
const EXTEND = luaScript(
  'pgwLockExtend',
  1,
  `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) end return 0`,
);

const FIRST_BACKOFF_MS = 10;
const MAX_BACKOFF_MS = 100;

/**
 * A lease lock shared by all replicas: SET NX PX, polled with jittered backoff. Policy while
 * Redis is unavailable (RedisAvailability): fail, never degrade; acquiring rejects with
 * SERVICE_UNAVAILABLE and fn does not run, because an unlocked merge can lose a write.
 */
export class RedisCustomerLock implements CustomerLock {
  private readonly prefix: string;
  private readonly report: StoreErrorReporter;
  private readonly onLeaseLost: (pageId: string, customerId: string) => void;

  constructor(
    private readonly redis: RedisAvailability,
    private readonly options: CustomerLockOptions = {},
  ) {
    this.prefix = options.keyPrefix ?? DEFAULT_KEY_PREFIX;
    this.report = options.onError ?? loggingReporter('CustomerLock');
    const logger = new Logger('CustomerLock');
    this.onLeaseLost =
      options.onLeaseLost ??
      ((pageId, customerId) =>
        logger.warn(
          `lock lease of customer ${customerId} on page ${pageId} was lost while the change ran`,
        ));
  }

  async withLock<T>(
    pageId: string,
    customerId: string,
    fn: (lease: AbortSignal) => Promise<T>,
    opts: LockOptions = {},
  ): Promise<T> {
    const waitMs = opts.waitMs ?? this.options.waitMs ?? DEFAULT_LOCK_WAIT_MS;
    const leaseMs = Math.max(
      30,
      Math.round(opts.leaseMs ?? this.options.leaseMs ?? DEFAULT_LOCK_LEASE_MS),
    );
    const key = lockKey(this.prefix, pageId, customerId);
    const token = randomUUID();
    const acquiredAt = await this.acquire(key, token, waitMs, leaseMs);
    const lease = this.keepLease(key, token, leaseMs, acquiredAt, () =>
      this.onLeaseLost(pageId, customerId),
    );
    try {
      return await fn(lease.signal);
    } finally {
      lease.stop();
      await this.release(key, token);
    }
  }

  /** Resolves to the time the winning SET was sent (the lease runs from at most then). */
  private async acquire(
    key: string,
    token: string,
    waitMs: number,
    leaseMs: number,
  ): Promise<number> {
    const started = performance.now();
    let backoff = FIRST_BACKOFF_MS;
    for (;;) {
      const sentAt = performance.now();
      let reply: 'OK' | null;
      try {
        reply = await this.redis.call((client) => client.set(key, token, 'PX', leaseMs, 'NX'));
      } catch (error) {
        // A SET sent and timed out may still land: free it now rather than block the customer a lease long.
        if (!(error instanceof RedisUnavailableError))
          this.redis.cleanUp(DELETE_IF_OWNED, [key], [token]);
        throw storeUnavailable(
          'The customer lock is unavailable (Redis); nothing was changed, retry shortly',
          error,
        );
      }
      const now = performance.now();
      if (reply === 'OK') {
        this.options.onWait?.(now - started, 'acquired');
        return sentAt;
      }
      const remaining = started + waitMs - now;
      if (remaining <= 0) {
        this.options.onWait?.(now - started, 'timeout');
        throw lockBusy(now - started);
      }
      // Jitter keeps waiters on several replicas from polling in lockstep.
      await sleep(Math.min(remaining, backoff * (0.5 + Math.random())));
      backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
    }
  }

  /**
   * Extends the lease every leaseMs/3 while fn runs, so a slow upstream call keeps the lock
   * (two tries before half the lease is gone). Aborts the signal once the lease is known lost:
   * the token is gone, or extensions failed until the last confirmed lease ran out.
   */
  private keepLease(
    key: string,
    token: string,
    leaseMs: number,
    acquiredAt: number,
    onLost: () => void,
  ): { signal: AbortSignal; stop: () => void } {
    const controller = new AbortController();
    let confirmedUntil = acquiredAt + leaseMs;
    let stopped = false;
    let inFlight = false;
    const lost = (): void => {
      if (stopped) return;
      stop();
      controller.abort(
        new GatewayError(
          ErrorCode.CONFLICT,
          'The lock on this customer was lost while the change ran; retry',
        ),
      );
      onLost();
    };
    const extend = async (): Promise<void> => {
      if (inFlight || stopped) return;
      inFlight = true;
      const sentAt = performance.now();
      try {
        const extended = await this.redis.run(EXTEND, [key], [token, leaseMs]);
        if (extended === 1) confirmedUntil = sentAt + leaseMs;
        else lost();
      } catch {
        if (performance.now() >= confirmedUntil) lost();
      } finally {
        inFlight = false;
      }
    };
    const timer = setInterval(() => void extend(), Math.max(10, Math.floor(leaseMs / 3)));
    timer.unref();
    function stop(): void {
      stopped = true;
      clearInterval(timer);
    }
    return { signal: controller.signal, stop };
  }

  private async release(key: string, token: string): Promise<void> {
    try {
      await this.redis.run(DELETE_IF_OWNED, [key], [token]);
    } catch (error) {
      // The change is done; the lease expires on its own, so a failed release only delays the next writer.
      this.report('customer lock release', error);
    }
  }
}
