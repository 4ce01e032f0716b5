import { startSimulator } from './index.js';
import type { Simulator } from './types.js';
import type { RawCustomer } from './raw-shapes.js';
import { control, list, manualClock, naiveMs, walk } from './spec-helpers.js';

// After every seeded timestamp, so windows around it hold only inserted customers.
const NOW = Date.UTC(2026, 10, 20, 7, 0, 0, 250);
const NOW_S = Math.floor(NOW / 1000);
let sim: Simulator;
let clock: ReturnType<typeof manualClock>;

beforeEach(async () => {
  clock = manualClock(NOW);
  sim = await startSimulator({ customers: 40, rateLimitPerSecond: Infinity, now: clock.now });
});
afterEach(() => sim.close());

const insert = (body: unknown, pageId = '111') =>
  control(sim, 'POST', `/pages/${pageId}/customers`, body);

describe('POST /__sim/pages/:pageId/customers', () => {
  it('inserts one customer with the given fields; the API lists it at now', async () => {
    const { status, body } = await insert({
      customers: [{ name: 'Nguyễn Mới', phone_numbers: ['0901 234 567'], gender: 'female' }],
    });
    expect(status).toBe(201);
    const [created] = body.customers as RawCustomer[];
    expect(created).toMatchObject({
      name: 'Nguyễn Mới',
      phone_numbers: ['0901 234 567'],
      gender: 'female',
      notes: [],
      inserted_at: '2026-11-20T07:00:00.250000',
      updated_at: '2026-11-20T07:00:00.250000',
    });
    expect(created!.psid).toMatch(/^\d{15,17}$/);
    const listed = await list(sim, { since: NOW_S, until: NOW_S });
    expect(listed.body.total).toBe(1);
    expect(listed.body.customers).toEqual([created]);
    expect(sim.store.count('111')).toBe(41);
  });

  it('inserts 50 in the same second; paging a one-second window returns each once', async () => {
    await list(sim, { order_by: 'updated_at' }); // builds the sorted arrays before the insert
    const customers = Array.from({ length: 50 }, (_, i) => ({ name: `Khách ${i}` }));
    const { body } = await insert({ customers });
    const ids = (body.customers as RawCustomer[]).map((c) => c.id);
    expect(new Set(ids).size).toBe(50);
    for (const orderBy of ['inserted_at', 'updated_at']) {
      const seen = await walk(sim, { order_by: orderBy, since: NOW_S, until: NOW_S, page_size: 7 });
      expect(seen.total).toBe(50);
      expect(seen.customers.map((c) => c.id).sort()).toEqual([...ids].sort());
    }
  });

  it('generates {count} realistic customers, deterministic given the seed', async () => {
    const { status, body } = await insert({ count: 5 });
    expect(status).toBe(201);
    expect(body.customers).toHaveLength(5);
    for (const c of body.customers as RawCustomer[]) {
      expect(c.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4/);
      expect(c.psid).toMatch(/^\d{15,17}$/);
      expect(c.inserted_at).toBe('2026-11-20T07:00:00.250000');
    }
    const twin = await startSimulator({ customers: 40, now: clock.now });
    try {
      const again = await control(twin, 'POST', '/pages/111/customers', { count: 5 });
      expect(again.body.customers).toEqual(body.customers);
    } finally {
      await twin.close();
    }
  });

  it('places a customer in time with insertedAt / updatedAt (naive strings are UTC)', async () => {
    const { body } = await insert({
      customers: [{ insertedAt: '2026-11-01T10:00:00Z', updatedAt: '2026-11-02T10:00:00.5' }],
    });
    const [created] = body.customers as RawCustomer[];
    expect(naiveMs(created!.inserted_at)).toBe(Date.UTC(2026, 10, 1, 10));
    expect(naiveMs(created!.updated_at)).toBe(Date.UTC(2026, 10, 2, 10, 0, 0, 500));
    const since = Date.UTC(2026, 10, 2, 10) / 1000;
    const byUpdate = await list(sim, { order_by: 'updated_at', since, until: since });
    expect(byUpdate.body.customers.map((c: RawCustomer) => c.id)).toEqual([created!.id]);
  });

  it('keeps both orders sorted after small and large inserts', async () => {
    await list(sim);
    await list(sim, { order_by: 'updated_at' });
    clock.set(Date.UTC(2025, 0, 1));
    await insert({ count: 3 }); // spliced into the built arrays
    clock.set(Date.UTC(2025, 6, 1));
    await insert({ count: 100 }); // arrays rebuilt on the next list
    for (const orderBy of ['inserted_at', 'updated_at'] as const) {
      const seen = await walk(sim, { order_by: orderBy });
      expect(seen.total).toBe(143);
      const times = seen.customers.map((c) => naiveMs(c[orderBy]));
      expect(times).toEqual([...times].sort((a, b) => b - a));
    }
  });

  it('answers 400 with a clear message for bad bodies', async () => {
    const cases: [unknown, RegExp][] = [
      [{}, /exactly one of customers or count/],
      [{ count: 0 }, /count must be an integer from 1/],
      [{ customers: [] }, /customers must be an array of 1/],
      [{ customers: [{ id: 'x' }] }, /customers\[0\]: field 'id' cannot be set/],
      [{ customers: [{}, { gender: 'x' }] }, /customers\[1\]: gender must be male, female/],
      [{ customers: [{ insertedAt: 'yesterday' }] }, /insertedAt must be an ISO date-time/],
      [
        { customers: [{ insertedAt: '2026-01-02T00:00:00Z', updatedAt: '2026-01-01T00:00:00Z' }] },
        /updatedAt must not be before insertedAt/,
      ],
      [{ customers: [{ psid: '12' }, { psid: '12' }] }, /psid 12 already exists/],
    ];
    for (const [body, message] of cases) {
      const reply = await insert(body);
      expect([reply.status, reply.body.ok]).toEqual([400, false]);
      expect(reply.body.error).toMatch(message);
    }
    expect((await insert('{oops')).status).toBe(400);
    expect(sim.store.count('111')).toBe(40);
  });

  it('answers 404 for an unknown page', async () => {
    const reply = await insert({ count: 1 }, '999');
    expect(reply.status).toBe(404);
    expect(reply.body.error).toBe('No page 999');
  });
});
