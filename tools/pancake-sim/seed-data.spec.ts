import { startSimulator, pageCounts } from './index.js';
import { Rng, deriveSeed } from './prng.js';
import { list } from './spec-helpers.js';

describe('determinism', () => {
  it('serves identical data for the same seed and different data for another', async () => {
    const [a, b, c] = await Promise.all([
      startSimulator({ seed: 42, customers: 300, rateLimitPerSecond: Infinity }),
      startSimulator({ seed: 42, customers: 300, rateLimitPerSecond: Infinity }),
      startSimulator({ seed: 43, customers: 300, rateLimitPerSecond: Infinity }),
    ]);
    try {
      const first = await list(a, { page_size: 100, page_number: 2 });
      expect((await list(b, { page_size: 100, page_number: 2 })).body).toEqual(first.body);
      expect((await list(c, { page_size: 100, page_number: 2 })).body).not.toEqual(first.body);
      expect(b.store.listCustomers('222')).toEqual(a.store.listCustomers('222'));
    } finally {
      await Promise.all([a.close(), b.close(), c.close()]);
    }
  });

  it('keeps a page identical whatever the other pages hold', async () => {
    const small = await startSimulator({ seed: 9, customers: 20, pages: ['111'] });
    const big = await startSimulator({
      seed: 9,
      customers: 20,
      pages: ['111', '555'],
      customersByPage: { '555': 500 },
    });
    try {
      expect(big.store.listCustomers('111')).toEqual(small.store.listCustomers('111'));
    } finally {
      await Promise.all([small.close(), big.close()]);
    }
  });

  it('derives UUID v4 shaped ids from the PRNG', () => {
    const rng = new Rng(deriveSeed(1, 'x'));
    const again = new Rng(deriveSeed(1, 'x'));
    const ids = Array.from({ length: 1000 }, () => rng.uuidV4());
    expect(
      ids.every((id) =>
        /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(id),
      ),
    ).toBe(true);
    expect(new Set(ids).size).toBe(1000);
    expect(again.uuidV4()).toBe(ids[0]);
  });
});

describe('page split', () => {
  it('gives the first page `customers` and the others min(customers, 50), overrides winning', () => {
    expect(pageCounts({}).map((p) => p.customers)).toEqual([250, 50, 50]);
    expect(pageCounts({ customers: 10 }).map((p) => p.customers)).toEqual([10, 10, 10]);
    expect(pageCounts({ customers: 1000, pages: ['1', '2'], customersByPage: { '2': 7 } })).toEqual(
      [
        { pageId: '1', customers: 1000 },
        { pageId: '2', customers: 7 },
      ],
    );
  });

  it('models the same person on two pages: shared customer_id and name, own id and psid', async () => {
    const sim = await startSimulator({ customers: 200 });
    try {
      const first = sim.store.listCustomers('111');
      const second = sim.store.listCustomers('222');
      const shared = second.filter(
        (c) => c.customer_id && first.some((f) => f.customer_id === c.customer_id),
      );
      expect(shared.length).toBeGreaterThan(5);
      for (const twin of shared) {
        const original = first.find((f) => f.customer_id === twin.customer_id)!;
        expect(twin.name).toBe(original.name);
        expect(twin.id).not.toBe(original.id);
        expect(twin.psid).not.toBe(original.psid);
      }
    } finally {
      await sim.close();
    }
  });

  it('rejects unusable options', async () => {
    await expect(startSimulator({ pages: ['abc'] })).rejects.toThrow(/digits/);
    await expect(startSimulator({ pages: [] })).rejects.toThrow(/empty/);
    await expect(startSimulator({ customers: -1 })).rejects.toThrow(/customers/);
    await expect(startSimulator({ rateLimitPerSecond: 0 })).rejects.toThrow(/rateLimitPerSecond/);
  });
});

describe('scale', () => {
  it('generates and serves 100,000 customers', async () => {
    const sim = await startSimulator({ customers: 100_000, rateLimitPerSecond: Infinity });
    try {
      expect(sim.store.count('111')).toBe(100_000);
      const last = await list(sim, { page_size: 100, page_number: 1000, order_by: 'updated_at' });
      expect(last.body.total).toBe(100_000);
      expect(last.body.customers).toHaveLength(100);
      const ids = new Set(sim.store.listCustomers('111').map((c) => c.id));
      expect(ids.size).toBe(100_000);
    } finally {
      await sim.close();
    }
  });
});
