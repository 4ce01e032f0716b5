import type { Provider } from '@nestjs/common';
import { MemoryBudget } from '../../cache/memory-budget.js';
import { GatewayConfig } from '../../config/gateway-config.js';
import type { RedisAvailability } from '../../infra/redis/redis-availability.js';
import { REDIS_AVAILABILITY } from '../../infra/redis/redis.module.js';
import { GatewayMetrics } from '../../metrics/gateway-metrics.js';
import type { NoteRecord } from '../../pancake/pancake.model.js';
import { CUSTOMER_INDEX, type CustomerIndex, type CustomerIndexOptions } from './customer-index.js';
import { CUSTOMER_LOCK, type CustomerLock, type CustomerLockOptions } from './customer-lock.js';
import {
  IDEMPOTENCY_STORE,
  type IdempotencyStore,
  type IdempotencyStoreOptions,
} from './idempotency-store.js';
import { MemoryCustomerIndex } from './memory-customer-index.js';
import { MemoryCustomerLock } from './memory-customer-lock.js';
import { MemoryIdempotencyStore } from './memory-idempotency-store.js';
import { MemoryWriteLedger } from './memory-write-ledger.js';
import { RedisCustomerIndex } from './redis-customer-index.js';
import { RedisCustomerLock } from './redis-customer-lock.js';
import { RedisIdempotencyStore } from './redis-idempotency-store.js';
import { RedisWriteLedger } from './redis-write-ledger.js';
import { WRITE_LEDGER, type WriteLedger, type WriteLedgerOptions } from './write-ledger.js';

// Each store on Redis when it is configured (REDIS_AVAILABILITY), in-process otherwise.

export function createCustomerIndex(
  redis: RedisAvailability | null,
  options: CustomerIndexOptions = {},
): CustomerIndex {
  return redis ? new RedisCustomerIndex(redis, options) : new MemoryCustomerIndex(options);
}

export function createCustomerLock(
  redis: RedisAvailability | null,
  options: CustomerLockOptions = {},
): CustomerLock {
  return redis ? new RedisCustomerLock(redis, options) : new MemoryCustomerLock(options);
}

export function createIdempotencyStore<T>(
  redis: RedisAvailability | null,
  options: IdempotencyStoreOptions = {},
): IdempotencyStore<T> {
  return redis
    ? new RedisIdempotencyStore<T>(redis, options)
    : new MemoryIdempotencyStore<T>(options);
}

export function createWriteLedger(
  redis: RedisAvailability | null,
  options: WriteLedgerOptions,
): WriteLedger {
  return redis ? new RedisWriteLedger(redis, options) : new MemoryWriteLedger(options);
}

/**
 * Providers of the customers module: CUSTOMER_INDEX, CUSTOMER_LOCK, IDEMPOTENCY_STORE and
 * WRITE_LEDGER. Metrics: pass onWait / onError here when prom-client is wired.
 */
export const customerStoreProviders: Provider[] = [
  {
    provide: CUSTOMER_INDEX,
    inject: [GatewayConfig, REDIS_AVAILABILITY, MemoryBudget],
    useFactory: (
      config: GatewayConfig,
      redis: RedisAvailability | null,
      budget: MemoryBudget,
    ): CustomerIndex => createCustomerIndex(redis, { keyPrefix: config.redis.keyPrefix, budget }),
  },
  {
    provide: CUSTOMER_LOCK,
    inject: [GatewayConfig, REDIS_AVAILABILITY, { token: GatewayMetrics, optional: true }],
    useFactory: (
      config: GatewayConfig,
      redis: RedisAvailability | null,
      metrics?: GatewayMetrics,
    ): CustomerLock =>
      createCustomerLock(redis, {
        keyPrefix: config.redis.keyPrefix,
        onWait: (ms) => metrics?.lockWait.observe(ms / 1000),
      }),
  },
  {
    provide: IDEMPOTENCY_STORE,
    inject: [GatewayConfig, REDIS_AVAILABILITY],
    useFactory: (
      config: GatewayConfig,
      redis: RedisAvailability | null,
    ): IdempotencyStore<NoteRecord> =>
      createIdempotencyStore<NoteRecord>(redis, {
        keyPrefix: config.redis.keyPrefix,
        ttlSeconds: config.idempotencyTtlSeconds,
        // An unanswered create holds its key while it is verified, up to its quarantine.
        pendingTtlSeconds: Math.max(300, Math.ceil(config.pancake.writeQuarantineMs / 1000) + 60),
      }),
  },
  {
    provide: WRITE_LEDGER,
    inject: [GatewayConfig, REDIS_AVAILABILITY],
    useFactory: (config: GatewayConfig, redis: RedisAvailability | null): WriteLedger =>
      createWriteLedger(redis, {
        keyPrefix: config.redis.keyPrefix,
        journalMs: config.pancake.writeJournalSeconds * 1000,
      }),
  },
];
