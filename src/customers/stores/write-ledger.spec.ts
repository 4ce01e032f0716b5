import { setTimeout as sleep } from 'node:timers/promises';
import { ErrorCode } from '../../common/errors/error-code.js';
import {
  describeWithRedis,
  replicaConnections,
  unreachableRedis,
} from '../../../test/support/redis.js';
import { MemoryWriteLedger } from './memory-write-ledger.js';
import { RedisWriteLedger } from './redis-write-ledger.js';
import { fenceKey } from './redis-keys.js';
import type { InDoubtWrite, WriteLedger } from './write-ledger.js';

let seq = 0;
function doubt(overrides: Partial<InDoubtWrite> = {}): InDoubtWrite {
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
function behavesLikeAWriteLedger(make: () => WriteLedger, other: () => WriteLedger = make): void {
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

describeWithRedis('RedisWriteLedger', () => {
  const redis = replicaConnections('write-ledger');
  behavesLikeAWriteLedger(
    () => new RedisWriteLedger(redis.a, { keyPrefix: redis.prefix, journalMs: 60_000 }),
    () => new RedisWriteLedger(redis.b, { keyPrefix: redis.prefix, journalMs: 60_000 }),
  );

  it('keys the fence under {pageId} and lets it expire with the quarantine', async () => {
    const d = doubt({ landsBy: Date.now() + 2000 });
    await new RedisWriteLedger(redis.a, { keyPrefix: redis.prefix, journalMs: 60_000 }).fence(d);
    const key = fenceKey(redis.prefix, '111', d.customerId);
    expect(key).toBe(`${redis.prefix}fence:{111}:${d.customerId}`);
    const pttl = await redis.admin.pttl(key);
    expect(pttl).toBeGreaterThan(1000);
    expect(pttl).toBeLessThanOrEqual(2000);
  });
});

describe('RedisWriteLedger with Redis down', () => {
  const down = unreachableRedis('write-ledger-dead');

  it('refuses to say a customer is not fenced (503), and swallows acknowledgements', async () => {
    const reports: string[] = [];
    const ledger = new RedisWriteLedger(down.client, {
      journalMs: 60_000,
      onError: (operation) => reports.push(operation),
    });
    await expect(ledger.fenceOf('111', 'c')).rejects.toMatchObject({
      code: ErrorCode.SERVICE_UNAVAILABLE,
    });
    await expect(ledger.fence(doubt())).rejects.toMatchObject({
      code: ErrorCode.SERVICE_UNAVAILABLE,
    });
    await ledger.acknowledge('111', 'c', { kind: 'phones-added', numbers: [], at: 0 });
    expect(reports).toEqual(['write journal acknowledge']);
  });
});
