import { MemoryBudget } from '../../cache/memory-budget.js';
import {
  behavesLikeACustomerIndex,
  customerRecord,
  SEEN_AT,
} from '../../../test/support/contracts/customer-index.contract.js';
import { MemoryCustomerIndex } from './memory-customer-index.js';
import { createCustomerIndex } from './stores.providers.js';

describe('MemoryCustomerIndex', () => {
  behavesLikeACustomerIndex(() => new MemoryCustomerIndex({ now: () => SEEN_AT }));

  it('is bounded: the least recently used customers go first', async () => {
    const index = new MemoryCustomerIndex({ maxEntries: 3 });
    await index.remember(['a', 'b', 'c'].map((id) => customerRecord({ id })));
    await index.lookup('111', 'a'); // a is now the most recently used
    await index.remember(['d', 'e'].map((id) => customerRecord({ id })));
    expect(index.size).toBe(3);
    expect(await index.lookup('111', 'b')).toBeNull();
    expect(await index.lookup('111', 'c')).toBeNull();
    for (const id of ['a', 'd', 'e']) expect(await index.lookup('111', id)).not.toBeNull();
  });

  it('is bounded in bytes: snapshots count against the budget, least recently used go first', async () => {
    const budget = new MemoryBudget(64 * 1024);
    const index = new MemoryCustomerIndex({ budget });
    const big = (id: string) => customerRecord({ id, name: 'x'.repeat(2000), notes: [] }); // ~2.3 KB accounted
    await index.remember([big('first')]);
    const one = index.bytes;
    expect(one).toBeGreaterThan(2000);
    for (let i = 0; i < 100; i += 1) await index.remember([big(`c${i}`)]);
    expect(budget.bytes('index')).toBe(index.bytes);
    expect(index.bytes).toBeLessThanOrEqual(64 * 1024);
    expect(index.size).toBe(Math.floor((64 * 1024) / one));
    expect(await index.lookup('111', 'first')).toBeNull();
    expect(await index.lookup('111', 'c99')).not.toBeNull();
  });

  it('is what the factory builds without Redis', () => {
    const index = createCustomerIndex(null);
    expect(index).toBeInstanceOf(MemoryCustomerIndex);
    expect(index.health()).toMatchObject({ backend: 'in-process', healthy: true });
  });
});
