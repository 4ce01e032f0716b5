import 'reflect-metadata';
import { Test } from '@nestjs/testing';
import { MemoryBudget } from '../../cache/memory-budget.js';
import { GatewayConfig } from '../../config/gateway-config.js';
import { loadConfig } from '../../config/load-config.js';
import { REDIS_AVAILABILITY } from '../../infra/redis/redis.module.js';
import { CUSTOMER_INDEX } from './customer-index.js';
import { CUSTOMER_LOCK } from './customer-lock.js';
import { IDEMPOTENCY_STORE } from './idempotency-store.js';
import { MemoryCustomerIndex } from './memory-customer-index.js';
import { MemoryCustomerLock } from './memory-customer-lock.js';
import { MemoryIdempotencyStore } from './memory-idempotency-store.js';
import { customerStoreProviders } from './stores.providers.js';

describe('customerStoreProviders', () => {
  it('builds the in-process stores when Redis is not configured, the index within the budget', async () => {
    const budget = new MemoryBudget(1024 * 1024);
    const moduleRef = await Test.createTestingModule({
      providers: [
        ...customerStoreProviders,
        { provide: GatewayConfig, useValue: loadConfig({}) },
        { provide: REDIS_AVAILABILITY, useValue: null },
        { provide: MemoryBudget, useValue: budget },
      ],
    }).compile();
    const index = moduleRef.get<MemoryCustomerIndex>(CUSTOMER_INDEX);
    expect(index).toBeInstanceOf(MemoryCustomerIndex);
    await index.remember([
      {
        id: '5f0c3c1e-0000-4000-8000-000000000001',
        psid: '24001',
        pageId: '111',
        globalCustomerId: null,
        name: 'A',
        phoneNumbers: [],
        emails: [],
        gender: null,
        livesIn: null,
        birthday: null,
        insertedAt: null,
        updatedAt: null,
        notes: [],
      },
    ]);
    expect(budget.bytes('index')).toBe(index.bytes);
    expect(index.bytes).toBeGreaterThan(0);
    expect(moduleRef.get(CUSTOMER_LOCK)).toBeInstanceOf(MemoryCustomerLock);
    expect(moduleRef.get(IDEMPOTENCY_STORE)).toBeInstanceOf(MemoryIdempotencyStore);
    await moduleRef.close();
  });
});
