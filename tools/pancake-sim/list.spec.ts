import { startSimulator } from './index.js';
import type { Simulator } from './types.js';
import type { RawCustomer } from './raw-shapes.js';
import { api, list, naiveMs, seconds, walk } from './spec-helpers.js';

const COUNT = 1234;
let sim: Simulator;
let all: RawCustomer[];

beforeAll(async () => {
  sim = await startSimulator({ customers: COUNT, seed: 7, rateLimitPerSecond: Infinity });
  all = sim.store.listCustomers('111');
});
afterAll(() => sim.close());

describe('list validation', () => {
  it.each([
    ['since missing', { since: undefined }],
    ['since not an integer', { since: 'abc' }],
    ['since a decimal', { since: '1.5' }],
    ['until missing', { until: undefined }],
    ['until an ISO date', { until: '2026-01-01' }],
    ['page_number missing', { page_number: undefined }],
    ['page_number 0', { page_number: 0 }],
    ['page_number not a number', { page_number: 'x' }],
    ['page_size 0', { page_size: 0 }],
    ['page_size 101', { page_size: 101 }],
    ['page_size not a number', { page_size: 'ten' }],
    ['order_by unknown', { order_by: 'name' }],
  ])('%s: 400 with error_code 400', async (_, override) => {
    const query: Record<string, string | number> = {
      since: 0,
      until: 4_102_444_800,
      page_number: 1,
    };
    for (const [key, value] of Object.entries(override)) {
      if (value === undefined) delete query[key];
      else query[key] = value;
    }
    const { status, body } = await api(sim, 'GET', 'page_customers', { query });
    expect(status).toBe(400);
    expect(body).toEqual({ success: false, message: expect.any(String), error_code: 400 });
  });

  it('defaults page_size to 30 and accepts 100', async () => {
    expect((await list(sim)).body.customers).toHaveLength(30);
    expect((await list(sim, { page_size: 100 })).body.customers).toHaveLength(100);
  });

  it('answers { total, customers, success: true } in that key order', async () => {
    const { status, body } = await list(sim, { page_size: 1 });
    expect(status).toBe(200);
    expect(Object.keys(body)).toEqual(['total', 'customers', 'success']);
    expect(body.total).toBe(COUNT);
    expect(body.success).toBe(true);
  });
});

describe('pagination', () => {
  it('walks every customer exactly once with page_size 100, matching total', async () => {
    const { total, customers, calls } = await walk(sim);
    expect(total).toBe(COUNT);
    expect(calls).toBe(14); // 13 full-or-partial pages, then the empty one
    expect(customers).toHaveLength(COUNT);
    expect(new Set(customers.map((c) => c.id)).size).toBe(COUNT);
    expect(new Set(customers.map((c) => c.id))).toEqual(new Set(all.map((c) => c.id)));
  });

  it('answers an empty page with the real total beyond the end', async () => {
    const { body } = await list(sim, { page_size: 100, page_number: 99 });
    expect(body).toEqual({ total: COUNT, customers: [], success: true });
  });
});

describe('ordering and the seconds window', () => {
  it.each(['inserted_at', 'updated_at'] as const)(
    'order_by %s: newest first, ties by id',
    async (field) => {
      const { customers } = await walk(sim, { order_by: field });
      for (let i = 1; i < customers.length; i++) {
        const [a, b] = [customers[i - 1]!, customers[i]!];
        const diff = naiveMs(a[field]) - naiveMs(b[field]);
        expect(diff > 0 || (diff === 0 && a.id < b.id)).toBe(true);
      }
    },
  );

  it('defaults order_by to inserted_at', async () => {
    const byDefault = (await list(sim, { page_size: 50 })).body.customers.map(
      (c: RawCustomer) => c.id,
    );
    const explicit = (
      await list(sim, { page_size: 50, order_by: 'inserted_at' })
    ).body.customers.map((c: RawCustomer) => c.id);
    expect(byDefault).toEqual(explicit);
  });

  it.each(['inserted_at', 'updated_at'] as const)(
    'filters since <= %s <= until in seconds, inclusive',
    async (field) => {
      const sorted = all.map((c) => seconds(c[field])).sort((a, b) => a - b);
      const since = sorted[300]!;
      const until = sorted[700]!;
      const expected = all.filter((c) => seconds(c[field]) >= since && seconds(c[field]) <= until);
      const { total, customers } = await walk(sim, { order_by: field, since, until });
      expect(total).toBe(expected.length);
      expect(new Set(customers.map((c) => c.id))).toEqual(new Set(expected.map((c) => c.id)));
      // The edges are inclusive: customers exactly at since and at until are in.
      expect(customers.some((c) => seconds(c[field]) === since)).toBe(true);
      expect(customers.some((c) => seconds(c[field]) === until)).toBe(true);
    },
  );

  it('a one-second window finds a customer, one second either side does not', async () => {
    const target = all[123]!;
    const at = seconds(target.inserted_at);
    const ids = async (since: number, until: number) =>
      (await walk(sim, { since, until })).customers.map((c) => c.id);
    expect(await ids(at, at)).toContain(target.id);
    expect(await ids(at + 1, at + 10)).not.toContain(target.id);
    expect(await ids(at - 10, at - 1)).not.toContain(target.id);
  });

  it('filters on the order_by field: updated_at windows find customers inserted long before', async () => {
    const target = all.find((c) => seconds(c.updated_at) - seconds(c.inserted_at) > 86_400)!;
    const at = seconds(target.updated_at);
    expect(
      (await walk(sim, { since: at, until: at, order_by: 'updated_at' })).customers.map(
        (c) => c.id,
      ),
    ).toContain(target.id);
    expect((await walk(sim, { since: at, until: at })).customers.map((c) => c.id)).not.toContain(
      target.id,
    );
  });

  it('answers an empty window (since after until) with total 0', async () => {
    const { status, body } = await list(sim, { since: 1_780_000_000, until: 1_700_000_000 });
    expect(status).toBe(200);
    expect(body).toEqual({ total: 0, customers: [], success: true });
  });

  it('reads since and until as seconds: milliseconds select nothing', async () => {
    const { body } = await list(sim, { since: 1_704_067_200_000, until: 1_800_000_000_000 });
    expect(body.total).toBe(0);
    expect(body.customers).toEqual([]);
  });
});

describe('customer shape', () => {
  const KEYS = [
    'id',
    'customer_id',
    'psid',
    'name',
    'phone_numbers',
    'emails',
    'gender',
    'birthday',
    'lives_in',
    'thread_id',
    'can_inbox',
    'recent_orders',
    'inserted_at',
    'updated_at',
    'notes',
  ];
  const NOTE_KEYS = [
    'id',
    'message',
    'created_at',
    'updated_at',
    'removed_at',
    'created_by',
    'edit_history',
    'images',
    'links',
    'order_id',
  ];

  it('has every key on every customer and note, with the upstream types', async () => {
    const { customers } = await walk(sim);
    for (const c of customers) {
      expect(Object.keys(c)).toEqual(KEYS);
      expect(c.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(c.psid).toMatch(/^[1-9]\d{14,16}$/);
      expect(c.recent_orders).toBeNull();
      expect(typeof c.can_inbox).toBe('boolean');
      expect(c.phone_numbers.length).toBeLessThanOrEqual(2);
      expect(naiveMs(c.updated_at)).toBeGreaterThanOrEqual(naiveMs(c.inserted_at));
      for (const n of c.notes) {
        expect(Object.keys(n)).toEqual(NOTE_KEYS);
        expect(n.id).toMatch(/^[0-9a-f]{24}$/);
        expect(Number.isInteger(n.created_at) && n.created_at > 1e12).toBe(true);
        expect(n.removed_at).toBeNull();
        expect(n.updated_at === null || n.updated_at > n.created_at).toBe(true);
        expect(Object.keys(n.created_by)).toEqual(['uid', 'fb_id', 'fb_name']);
        expect(n.order_id).toBeNull();
      }
    }
  });

  it('mixes both naive UTC forms, inserted between 2024-01-01 and 2026-06-30', () => {
    const short = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/;
    const long = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}$/;
    for (const c of all) {
      expect(short.test(c.inserted_at) || long.test(c.inserted_at)).toBe(true);
      expect(short.test(c.updated_at) || long.test(c.updated_at)).toBe(true);
      expect(c.inserted_at >= '2024-01-01' && c.inserted_at < '2026-07-01').toBe(true);
    }
    expect(all.some((c) => short.test(c.inserted_at))).toBe(true);
    expect(all.some((c) => long.test(c.inserted_at))).toBe(true);
  });

  it('includes the awkward values: nulls, partial birthdays, messy phones, diacritics, notes', () => {
    const some = (predicate: (c: RawCustomer) => boolean) => expect(all.some(predicate)).toBe(true);
    some((c) => c.customer_id === null);
    some((c) => c.emails === null);
    some((c) => Array.isArray(c.emails) && c.emails.length === 0);
    some((c) => c.gender === null);
    some((c) => c.gender === 'unknown');
    some((c) => c.birthday === null);
    some((c) => /^\d{4}-(0[1-9]|1[0-2])-\d{2}$/.test(c.birthday ?? ''));
    some((c) => /^\d{4}-00-00$/.test(c.birthday ?? ''));
    some((c) => /^0000-\d{2}-\d{2}$/.test(c.birthday ?? ''));
    some((c) => c.lives_in === null);
    some((c) => c.thread_id === null);
    some((c) => c.can_inbox === false);
    some((c) => c.phone_numbers.length === 0);
    some((c) => c.phone_numbers.some((p) => p.startsWith('+84')));
    some((c) => c.phone_numbers.some((p) => /^0\d{2} \d{3}-\d{4}$/.test(p)));
    some((c) => c.phone_numbers.some((p) => /^0\d{9}$/.test(p)));
    some((c) => /[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệịỉĩọỏốồổỗộớờởỡợụủũứừửữựỳỵỷỹ]/i.test(c.name ?? ''));
    some((c) => c.notes.length > 0);
    const withNotes = all.filter((c) => c.notes.length > 0).length / all.length;
    expect(withNotes).toBeGreaterThan(0.18);
    expect(withNotes).toBeLessThan(0.32);
  });
});
