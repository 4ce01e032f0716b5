import fc from 'fast-check';
import { ErrorCode } from '../common/errors/error-code.js';
import { GatewayError } from '../common/errors/gateway-error.js';
import type { CustomerRecord } from '../pancake/pancake.model.js';
import { MemoryCustomerIndex } from '../customers/stores/memory-customer-index.js';
import { BUDGET_KINDS, MemoryBudget, type BudgetKind } from './memory-budget.js';
import { createReadCache } from './cache.module.js';
import { ResponseCache, type ReplayableResponse } from './response-cache.js';

const KB = 1024;

/** A list page of `count` customers (~1.5 KB each). */
function page(count: number, tag: string): { total: number; customers: CustomerRecord[] } {
  const customers = Array.from({ length: count }, (_, i) => customer(`${tag}-${i}`));
  return { total: count, customers };
}

function customer(id: string): CustomerRecord {
  return {
    id,
    psid: `psid-${id}`,
    pageId: '111',
    globalCustomerId: null,
    name: `Customer ${id}`,
    phoneNumbers: ['+84912345678'],
    emails: [],
    gender: 'female',
    livesIn: null,
    birthday: null,
    insertedAt: new Date('2024-03-01T08:00:00Z'),
    updatedAt: null,
    notes: [
      {
        id: `note-${id}`,
        message: 'x'.repeat(600),
        createdAt: new Date('2024-03-02T08:00:00Z'),
        updatedAt: null,
        removedAt: null,
        createdBy: null,
        images: [],
        links: [],
      },
    ],
  };
}

function replay(bytes: number): ReplayableResponse {
  return {
    payload: Buffer.alloc(bytes, 'a'),
    contentType: 'application/json',
    etag: 'W/"a"',
    variants: new Map(),
    deps: [{ pageId: '111', generation: 0 }],
    expiresAt: Date.now() + 60_000,
  };
}

const upstreamDown = async (): Promise<never> => {
  throw new GatewayError(ErrorCode.UPSTREAM_ERROR, 'Pancake is down');
};

/** The three kinds of entry on one budget, as the app wires them (no Redis). */
function stack(maxBytes: number) {
  let nowMs = Date.parse('2024-05-01T10:00:00Z');
  const budget = new MemoryBudget(maxBytes);
  const reads = createReadCache({
    redis: null,
    ttlSeconds: 30,
    staleTtlSeconds: 3600,
    maxEntries: 1000,
    budget,
    now: () => nowMs,
  });
  const replays = new ResponseCache(1000, budget);
  const index = new MemoryCustomerIndex({ budget });
  return {
    budget,
    reads,
    replays,
    index,
    advanceSeconds: (seconds: number) => (nowMs += seconds * 1000),
  };
}

describe('MemoryBudget', () => {
  it('counts a stale copy while it is kept, and evicts it for index snapshots once reads are above their share', async () => {
    const { budget, reads, replays, index, advanceSeconds } = stack(256 * KB);
    await reads.read('111', { op: 'list', n: 1 }, async () => page(50, 'old'));
    const stale = budget.bytes('read');
    expect(stale).toBeGreaterThan(64 * KB);
    advanceSeconds(60); // past the TTL: now only a stale copy, still the same entry and bytes
    expect(budget.bytes('read')).toBe(stale);
    expect(await reads.read('111', { op: 'list', n: 1 }, upstreamDown)).toMatchObject({
      outcome: 'stale',
      stale: true,
    });
    await reads.read('111', { op: 'list', n: 2 }, async () => page(50, 'new'));
    expect(budget.bytes('read')).toBeGreaterThan(budget.shareOf('read'));
    replays.set('a', replay(28 * KB));
    replays.set('b', replay(28 * KB)); // replays within their share (64 KB)

    // Index snapshots come, still under their share: reads are furthest above theirs and give
    // up their least recently used entry, the stale copy.
    for (let batch = 0; batch < 20 && budget.bytes('read') > stale; batch += 1) {
      await index.remember(page(20, `idx${batch}`).customers);
      expect(budget.bytes()).toBeLessThanOrEqual(budget.maxBytes);
    }
    expect(budget.bytes('read')).toBeLessThanOrEqual(stale);
    await expect(reads.read('111', { op: 'list', n: 1 }, upstreamDown)).rejects.toMatchObject({
      code: ErrorCode.UPSTREAM_ERROR,
    });
    expect((await reads.read('111', { op: 'list', n: 2 }, upstreamDown)).outcome).toBe('hit');
    expect(replays.size).toBe(2);
    expect(budget.bytes('index')).toBe(index.bytes);
    expect(await index.lookup('111', 'idx0-0')).not.toBeNull();
  });

  it('bounds replay bytes, not only their count: the oldest go first', async () => {
    const { budget, replays } = stack(256 * KB);
    for (let i = 0; i < 100; i += 1) replays.set(`k${i}`, replay(10 * KB));
    expect(budget.bytes('replay')).toBeLessThanOrEqual(budget.maxBytes);
    expect(replays.size).toBeLessThan(26);
    expect(replays.size).toBeGreaterThan(20); // alone, a kind may use the whole budget
    const generationOf = async (): Promise<number> => 0;
    expect(await replays.get('k0', generationOf)).toBeUndefined();
    expect(await replays.get('k99', generationOf)).toBeDefined();
  });

  it('under pressure gives each kind its share: read 1/2, replay 1/4, index 1/4', async () => {
    const { budget, reads, replays, index } = stack(1024 * KB);
    for (let i = 0; i < 20; i += 1) {
      await reads.read('111', { op: 'list', n: i }, async () => page(50, `r${i}`));
      replays.set(`k${i}`, replay(40 * KB));
      await index.remember(page(20, `i${i}`).customers);
      expect(budget.bytes()).toBeLessThanOrEqual(budget.maxBytes);
    }
    const share = (kind: BudgetKind) => budget.bytes(kind) / budget.maxBytes;
    // Within one entry of each share (read pages ~70 KB, replays 40 KB, index batches ~30 KB).
    expect(share('read')).toBeGreaterThan(0.5 - 0.1);
    expect(share('replay')).toBeGreaterThan(0.25 - 0.05);
    expect(share('index')).toBeGreaterThan(0.25 - 0.05);
    expect(budget.bytes()).toBe(BUDGET_KINDS.reduce((n, kind) => n + budget.bytes(kind), 0));
  });

  it('does not keep an entry larger than its kind share, and keeps the others', async () => {
    const { budget, replays, index } = stack(128 * KB);
    await index.remember(page(10, 'kept').customers);
    const before = budget.bytes();
    replays.set('huge', replay(40 * KB)); // replay share: 32 KB
    expect(replays.size).toBe(0);
    expect(budget.bytes()).toBe(before);
  });

  it('never accounts more than the budget, whatever the mix of entries', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 64, max: 512 }),
        fc.array(
          fc.record({
            kind: fc.constantFrom<BudgetKind>('read', 'replay', 'index'),
            key: fc.integer({ min: 0, max: 30 }),
            size: fc.integer({ min: 1, max: 200 }),
          }),
          { maxLength: 80 },
        ),
        async (kilobytes, operations) => {
          const { budget, reads, replays, index } = stack(kilobytes * KB);
          for (const { kind, key, size } of operations) {
            if (kind === 'read') {
              await reads.read('111', { op: 'list', key, size }, async () => page(size, `p${key}`));
            } else if (kind === 'replay') {
              replays.set(`k${key}`, replay(size * KB));
            } else {
              await index.remember(page(Math.ceil(size / 10), `c${key}`).customers);
            }
            expect(budget.bytes()).toBeLessThanOrEqual(budget.maxBytes);
          }
        },
      ),
      { numRuns: 25 },
    );
  });

  it('refuses a budget it cannot split', () => {
    expect(() => new MemoryBudget(0)).toThrow(RangeError);
    expect(() => new MemoryBudget(1.5)).toThrow(RangeError);
  });
});
