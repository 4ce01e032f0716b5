// What every WriteLedger promises, run against each backend (src/customers/stores and test/redis).
import { setTimeout as sleep } from 'node:timers/promises';
import type { InDoubtWrite, WriteLedger } from '../../../src/customers/stores/write-ledger.js';

let seq = 0;
export function doubt(overrides: Partial<InDoubtWrite> = {}): InDoubtWrite {
  seq += 1;
  return {
    id: `w${seq}`,
    pageId: '111',
    customerId: `c${seq}`,
    kind: 'update',
    sentAt: Date.now(),
    landsBy: Date.now() + 5000,
    changes: { phoneNumbers: ['+84901000001'] },
    baselineUpdatedAt: null,
    ...overrides,
  };
}

/** What both backends promise; `other` is a second replica's view of the same ledger. */
export function behavesLikeAWriteLedger(
  make: () => WriteLedger,
  other: () => WriteLedger = make,
): void {
  it('fences a customer until the write can no longer land, for every replica', async () => {
    const d = doubt({ landsBy: Date.now() + 300 });
    await make().fence(d);
    expect(await other().fenceOf('111', d.customerId)).toEqual(d);
    expect(await other().fenceOf('111', 'someone-else')).toBeNull();
    await sleep(350);
    expect(await other().fenceOf('111', d.customerId)).toBeNull();
  });

  it('lifts only the fence of the write it is given', async () => {
    const first = doubt();
    const second = { ...doubt(), customerId: first.customerId };
    const ledger = make();
    await ledger.fence(first);
    await ledger.fence(second);
    await other().lift(first);
    expect((await ledger.fenceOf('111', first.customerId))?.id).toBe(second.id);
    await other().lift(second);
    expect(await ledger.fenceOf('111', first.customerId)).toBeNull();
  });

  it('journals in-doubt writes and acknowledgements per customer, oldest first', async () => {
    const d = doubt();
    const ledger = make();
    await ledger.fence(d);
    await ledger.acknowledge('111', d.customerId, {
      kind: 'phones-added',
      numbers: ['+84901000002'],
      at: Date.now(),
    });
    await ledger.acknowledge('111', d.customerId, {
      kind: 'note',
      noteId: 'n1',
      message: 'm',
      at: Date.now() + 1,
    });
    await ledger.lift(d);
    expect(await other().doubts('111', d.customerId)).toEqual([d]);
    expect((await other().acknowledgements('111', d.customerId)).map((a) => a.kind)).toEqual([
      'phones-added',
      'note',
    ]);
    expect(await other().doubts('222', d.customerId)).toEqual([]);
  });
}
