import { startSimulator } from './index.js';
import type { Simulator } from './types.js';
import type { RawCustomer } from './raw-shapes.js';
import { api, list, manualClock, seconds } from './spec-helpers.js';

const NOW = Date.UTC(2026, 10, 1, 12, 30, 15, 250);
const clock = manualClock(NOW);
let sim: Simulator;
let customers: RawCustomer[];

beforeAll(async () => {
  sim = await startSimulator({
    customers: 40,
    seed: 3,
    rateLimitPerSecond: Infinity,
    now: clock.now,
  });
  customers = sim.store.listCustomers('111');
});
afterAll(() => sim.close());
beforeEach(() => clock.set(NOW));

const put = (id: string, body: unknown) => api(sim, 'PUT', `page_customers/${id}`, { body });

describe('PUT page_customers/{id}', () => {
  it('applies the four accepted fields and answers only { success: true }', async () => {
    const target = customers[0]!;
    const changes = {
      name: 'Nguyễn Văn Mới',
      phone_numbers: ['0901234567'],
      gender: 'female',
      birthday: '1990-05-12',
    };
    const { status, body } = await put(target.id, { changes });
    expect(status).toBe(200);
    expect(body).toEqual({ success: true });
    expect(sim.store.getCustomer('111', target.id)).toMatchObject(changes);
  });

  it('replaces phone_numbers whole: no merge, [] clears', async () => {
    const target = customers.find((c) => c.phone_numbers.length === 2) ?? customers[1]!;
    await put(target.id, { changes: { phone_numbers: ['+84987654321'] } });
    expect(sim.store.getCustomer('111', target.id)!.phone_numbers).toEqual(['+84987654321']);
    await put(target.id, { changes: { phone_numbers: [] } });
    expect(sim.store.getCustomer('111', target.id)!.phone_numbers).toEqual([]);
  });

  it('keeps phone numbers as sent: no normalization', async () => {
    const target = customers[2]!;
    await put(target.id, { changes: { phone_numbers: ['090 123-4567', ' 0901234567 '] } });
    expect(sim.store.getCustomer('111', target.id)!.phone_numbers).toEqual([
      '090 123-4567',
      ' 0901234567 ',
    ]);
  });

  it('accepts partial birthdays with 00 parts', async () => {
    for (const birthday of ['1998-00-00', '0000-05-12', '1990-07-00']) {
      expect((await put(customers[3]!.id, { changes: { birthday } })).status).toBe(200);
      expect(sim.store.getCustomer('111', customers[3]!.id)!.birthday).toBe(birthday);
    }
  });

  it('bumps updated_at to now (leaving inserted_at) and moves the customer to the top of updated_at order', async () => {
    const target = customers[4]!;
    await put(target.id, { changes: { name: 'Bumped' } });
    const after = sim.store.getCustomer('111', target.id)!;
    expect(after.inserted_at).toBe(target.inserted_at);
    expect(seconds(after.updated_at)).toBe(Math.floor(NOW / 1000));
    expect(after.updated_at.startsWith('2026-11-01T12:30:15')).toBe(true);
    const since = Math.floor(NOW / 1000);
    const { body } = await list(sim, { order_by: 'updated_at', since });
    expect(body.customers.map((c: RawCustomer) => c.id)).toContain(target.id);
  });

  it('orders customers updated in the same instant by id', async () => {
    // A whole second, so both timestamp forms store the same instant: a true tie.
    const instant = Date.UTC(2026, 10, 2, 8, 0, 0, 0);
    clock.set(instant);
    const [a, b] = [customers[5]!, customers[6]!];
    await put(a.id, { changes: { name: 'Same A' } });
    await put(b.id, { changes: { name: 'Same B' } });
    const { body } = await list(sim, { order_by: 'updated_at', since: instant / 1000 });
    expect(body.customers.map((c: RawCustomer) => c.id)).toEqual([a.id, b.id].sort());
  });

  it.each([
    ['emails', { emails: ['x@y.z'] }],
    ['lives_in', { lives_in: 'Hà Nội' }],
    ['psid', { psid: '1' }],
    ['custom_field', { name: 'ok', custom_field: 1 }],
  ])('rejects a change to %s with 400 naming it', async (field, changes) => {
    const { status, body } = await put(customers[7]!.id, { changes });
    expect(status).toBe(400);
    expect(body).toEqual({
      success: false,
      message: expect.stringContaining(field),
      error_code: 400,
    });
  });

  it.each([
    ['no changes', {}],
    ['changes an array', { changes: [] }],
    ['changes a string', { changes: 'name=x' }],
    ['gender other', { changes: { gender: 'other' } }],
    ['gender null', { changes: { gender: null } }],
    ['birthday without padding', { changes: { birthday: '1990-5-1' } }],
    ['birthday month 13', { changes: { birthday: '1990-13-01' } }],
    ['birthday 31 February', { changes: { birthday: '1990-02-31' } }],
    ['birthday with slashes', { changes: { birthday: '12/05/1990' } }],
    ['name a number', { changes: { name: 42 } }],
    ['phone_numbers a string', { changes: { phone_numbers: '0901234567' } }],
    ['phone_numbers with a number', { changes: { phone_numbers: [901234567] } }],
  ])('%s: 400 and nothing changes', async (_, body) => {
    const target = customers[8]!;
    const before = sim.store.getCustomer('111', target.id);
    clock.advance(5000);
    const reply = await put(target.id, body);
    expect(reply.status).toBe(400);
    expect(reply.body).toEqual({ success: false, message: expect.any(String), error_code: 400 });
    expect(sim.store.getCustomer('111', target.id)).toEqual(before);
  });

  it('answers 400 for malformed JSON', async () => {
    const { status, body } = await put(customers[8]!.id, '{"changes":');
    expect(status).toBe(400);
    expect(body.error_code).toBe(400);
  });

  it('answers 404 Customer not found for an unknown id', async () => {
    const { status, body } = await put('00000000-0000-4000-8000-000000000000', {
      changes: { name: 'x' },
    });
    expect(status).toBe(404);
    expect(body).toEqual({ success: false, message: 'Customer not found', error_code: 404 });
  });

  it('does not find a customer of another page', async () => {
    const other = sim.store.listCustomers('222')[0]!;
    expect((await put(other.id, { changes: { name: 'x' } })).status).toBe(404);
  });
});
