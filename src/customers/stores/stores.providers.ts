import type { Provider } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { MemoryBudget } from '../../cache/memory-budget.js';
import { GatewayConfig } from '../../config/gateway-config.js';
import { GatewayMetrics } from '../../metrics/gateway-metrics.js';
import type { NoteRecord } from '../../pancake/pancake.model.js';
import { REDIS_CLIENT } from '../../redis/redis.module.js';
import { CUSTOMER_INDEX, createCustomerIndex, type CustomerIndex } from './customer-index.js';
import { CUSTOMER_LOCK, createCustomerLock, type CustomerLock } from './customer-lock.js';
import { createWriteLedger, WRITE_LEDGER, type WriteLedger } from './write-ledger.js';
import {
  createIdempotencyStore,
  IDEMPOTENCY_STORE,
  type IdempotencyStore,
} from './idempotency-store.js';

/**
 * Providers of the customers module: CUSTOMER_INDEX, CUSTOMER_LOCK, IDEMPOTENCY_STORE and WRITE_LEDGER,
 * each on Redis when REDIS_CLIENT is a client and in-process otherwise. Metrics: pass
 * onWait / onError here when prom-client is wired.
 */
export const customerStoreProviders: Provider[] = [
  {
    provide: CUSTOMER_INDEX,
    inject: [GatewayConfig, REDIS_CLIENT, MemoryBudget],
    useFactory: (config: GatewayConfig, redis: Redis | null, budget: MemoryBudget): CustomerIndex =>
      createCustomerIndex(redis, { keyPrefix: config.redis.keyPrefix, budget }),
  },
  {
    provide: CUSTOMER_LOCK,
    inject: [GatewayConfig, REDIS_CLIENT, { token: GatewayMetrics, optional: true }],
    useFactory: (
      config: GatewayConfig,
      redis: Redis | null,
      metrics?: GatewayMetrics,
    ): CustomerLock =>
      createCustomerLock(redis, {
        keyPrefix: config.redis.keyPrefix,
        onWait: (ms) => metrics?.lockWait.observe(ms / 1000),
      }),
  },
  {
    provide: IDEMPOTENCY_STORE,
    inject: [GatewayConfig, REDIS_CLIENT],
    useFactory: (config: GatewayConfig, redis: Redis | null): IdempotencyStore<NoteRecord> =>
      createIdempotencyStore<NoteRecord>(redis, {
        keyPrefix: config.redis.keyPrefix,
        ttlSeconds: config.idempotencyTtlSeconds,
        // An unanswered create holds its key while it is verified, up to its quarantine.
        pendingTtlSeconds: Math.max(300, Math.ceil(config.pancake.writeQuarantineMs / 1000) + 60),
      }),
  },
  {
    provide: WRITE_LEDGER,
    inject: [GatewayConfig, REDIS_CLIENT],
    useFactory: (config: GatewayConfig, redis: Redis | null): WriteLedger =>
      createWriteLedger(redis, {
        keyPrefix: config.redis.keyPrefix,
        journalMs: config.pancake.writeJournalSeconds * 1000,
      }),
  },
];
