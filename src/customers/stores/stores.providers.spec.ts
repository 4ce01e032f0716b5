import 'reflect-metadata';
import { Test } from '@nestjs/testing';
import { GatewayConfig } from '../../config/gateway-config.js';
import { loadConfig } from '../../config/load-config.js';
import { REDIS_CLIENT } from '../../redis/redis.module.js';
import { CUSTOMER_INDEX } from './customer-index.js';
import { CUSTOMER_LOCK } from './customer-lock.js';
import { IDEMPOTENCY_STORE } from './idempotency-store.js';
import { MemoryCustomerIndex } from './memory-customer-index.js';
import { MemoryCustomerLock } from './memory-customer-lock.js';
import { MemoryIdempotencyStore } from './memory-idempotency-store.js';
import { customerStoreProviders } from './stores.providers.js';

describe('customerStoreProviders', () => {
  it('builds the in-process stores when REDIS_CLIENT is null', async () => {
    const moduleRef = await Test.createTestingModule({
      providers: [
        ...customerStoreProviders,
        { provide: GatewayConfig, useValue: loadConfig({}) },
        { provide: REDIS_CLIENT, useValue: null },
      ],
    }).compile();
    expect(moduleRef.get(CUSTOMER_INDEX)).toBeInstanceOf(MemoryCustomerIndex);
    expect(moduleRef.get(CUSTOMER_LOCK)).toBeInstanceOf(MemoryCustomerLock);
    expect(moduleRef.get(IDEMPOTENCY_STORE)).toBeInstanceOf(MemoryIdempotencyStore);
    await moduleRef.close();
  });
});
