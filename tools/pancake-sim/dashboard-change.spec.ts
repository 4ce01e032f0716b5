import { startSimulator } from './index.js';
import type { Simulator } from './types.js';
import type { RawCustomer } from './raw-shapes.js';
import { api, control, list, manualClock } from './spec-helpers.js';

const NOW = Date.UTC(2026, 10, 20, 7, 0, 0, 0);
const NOW_S = NOW / 1000;
let sim: Simulator;
let clock: ReturnType<typeof manualClock>;
let customer: RawCustomer;

beforeEach(async () => {
  clock = manualClock(NOW);
  sim = await startSimulator({ customers: 30, rateLimitPerSecond: Infinity, now: clock.now });
  customer = sim.store.listCustomers('111')[0]!;
});
afterEach(() => sim.close());

const patch = (body: unknown, id = customer.id, pageId = '111') =>
  control(sim, 'PATCH', `/pages/${pageId}/customers/${id}`, body);

/** The customers a delta poll by updated_at sees in [since, until] (seconds). */
async function changedIn(since: number, until: number): Promise<RawCustomer[]> {
  return (await list(sim, { order_by: 'updated_at', since, until })).body.customers;
}

describe('PATCH /__sim/pages/:pageId/customers/:id', () => {
  it('changes a customer: updated_at = now with microseconds, visible to a delta poll', async () => {
    clock.advance(1234);
    const { status, body } = await patch({
      changes: { name: 'Tên Mới', lives_in: 'Huế', phone_numbers: ['0911 111 111'] },
    });
    expect(status).toBe(200);
    expect(body).toMatchObject({
      id: customer.id,
      name: 'Tên Mới',
      lives_in: 'Huế',
      phone_numbers: ['0911 111 111'],
      inserted_at: customer.inserted_at,
      updated_at: '2026-11-20T07:00:01.234000',
    });
    expect(await changedIn(NOW_S + 1, NOW_S + 1)).toEqual([body]);
    expect(sim.store.getCustomer('111', customer.id)).toEqual(body);
  });

  it('a late change stays hidden, then appears with its earlier updated_at', async () => {
    await list(sim, { order_by: 'updated_at' }); // the sorted array exists before the change
    const { body: changed } = await patch({ changes: { name: 'Trễ' }, lateByMs: 5000 });
    expect(changed.updated_at).toBe('2026-11-20T07:00:00.000000');
    expect(await changedIn(NOW_S, NOW_S)).toEqual([]);
    const listed = (await list(sim, { page_size: 100 })).body.customers as RawCustomer[];
    expect(listed.find((c) => c.id === customer.id)).toEqual(customer);
    const view = (await control(sim, 'GET', `/pages/111/customers/${customer.id}`)).body;
    expect(view).toEqual({
      ...customer,
      pending: { customer: changed, visibleAt: '2026-11-20T07:00:05.000Z' },
    });

    clock.advance(4999);
    expect(await changedIn(NOW_S, NOW_S + 10)).toEqual([]);
    clock.advance(1);
    // Now is 5 s later, but the change shows up in the past, at its own updated_at.
    expect(await changedIn(NOW_S, NOW_S)).toEqual([changed]);
    expect((await control(sim, 'GET', `/pages/111/customers/${customer.id}`)).body).toEqual(
      changed,
    );
  });

  it('a write to a customer with a late change makes that change land first', async () => {
    await patch({ changes: { name: 'Trễ' }, lateByMs: 60_000 });
    clock.advance(2000);
    await control(sim, 'POST', `/pages/111/customers/${customer.id}/notes`, { message: 'ghi chú' });
    const [listed] = await changedIn(NOW_S, NOW_S + 2);
    expect(listed).toMatchObject({ id: customer.id, name: 'Trễ' });
    // A dashboard note bumps updated_at, as upstream.
    expect(listed!.updated_at).toBe('2026-11-20T07:00:02.000000');
    expect(listed!.notes.at(-1)!.message).toBe('ghi chú');
  });

  it('keepUpdatedAt changes the content but not updated_at', async () => {
    const { body } = await patch({ changes: { gender: 'unknown' }, keepUpdatedAt: true });
    expect(body).toEqual({ ...customer, gender: 'unknown' });
    expect(await changedIn(NOW_S - 60, NOW_S + 60)).toEqual([]);
    const all = (await list(sim, { order_by: 'updated_at', page_size: 100 })).body.customers;
    expect(all.find((c: RawCustomer) => c.id === customer.id)).toEqual(body);
  });

  it('answers 400 with a clear message for bad bodies', async () => {
    const cases: [unknown, RegExp][] = [
      [{}, /changes is required and must be an object/],
      [{ changes: [] }, /changes is required/],
      [{ changes: { id: 'x' } }, /field 'id' cannot be set/],
      [{ changes: { psid: '123' } }, /field 'psid' cannot be set/],
      [{ changes: { birthday: '2000-02-30' } }, /birthday must be YYYY-MM-DD or null/],
      [{ changes: { phone_numbers: [1] } }, /phone_numbers must be an array of strings/],
      [{ changes: {}, lateByMs: -1 }, /lateByMs must be an integer >= 0/],
      [{ changes: {}, keepUpdatedAt: 'yes' }, /keepUpdatedAt must be a boolean/],
      [{ changes: {}, late: 5 }, /unknown key 'late'/],
    ];
    for (const [body, message] of cases) {
      const reply = await patch(body);
      expect([reply.status, reply.body.ok]).toEqual([400, false]);
      expect(reply.body.error).toMatch(message);
    }
    expect(sim.store.getCustomer('111', customer.id)).toEqual(customer);
  });

  it('answers 404 for an unknown customer or page', async () => {
    expect((await patch({ changes: {} }, 'nope')).status).toBe(404);
    expect((await patch({ changes: {} }, customer.id, '999')).status).toBe(404);
  });

  it('the API PUT on a customer with a late change applies over it', async () => {
    await patch({ changes: { lives_in: 'Đà Nẵng' }, lateByMs: 60_000 });
    clock.advance(1000);
    const put = await api(sim, 'PUT', `page_customers/${customer.id}`, {
      body: { changes: { name: 'API' } },
    });
    expect(put.status).toBe(200);
    expect(sim.store.getCustomer('111', customer.id)).toMatchObject({
      name: 'API',
      lives_in: 'Đà Nẵng',
    });
  });
});
