import {
  behavesLikeAWriteLedger,
  doubt,
} from '../../../test/support/contracts/write-ledger.contract.js';
import { MemoryWriteLedger } from './memory-write-ledger.js';

describe('MemoryWriteLedger', () => {
  let shared: MemoryWriteLedger;
  beforeEach(() => {
    shared = new MemoryWriteLedger({ journalMs: 60_000 });
  });
  behavesLikeAWriteLedger(() => shared);

  it('forgets journal entries older than the journal window', async () => {
    let now = 1_000_000;
    const ledger = new MemoryWriteLedger({ journalMs: 1000, now: () => now });
    const d = doubt({ sentAt: now, landsBy: now + 500 });
    await ledger.fence(d);
    now += 1001;
    expect(await ledger.doubts('111', d.customerId)).toEqual([]);
    expect(await ledger.fenceOf('111', d.customerId)).toBeNull();
  });

  it('stays bounded in customers', async () => {
    const ledger = new MemoryWriteLedger({ journalMs: 60_000, maxCustomers: 3 });
    const doubts = [doubt(), doubt(), doubt(), doubt()];
    for (const d of doubts) await ledger.fence(d);
    expect(await ledger.fenceOf('111', doubts[3]!.customerId)).not.toBeNull();
    expect(await ledger.fenceOf('111', doubts[0]!.customerId)).toBeNull();
  });
});
