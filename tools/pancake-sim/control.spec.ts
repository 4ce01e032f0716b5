import { startSimulator } from './index.js';
import type { Simulator } from './types.js';
import type { RawCustomer } from './raw-shapes.js';
import { control, list, manualClock, seconds } from './spec-helpers.js';

const NOW = Date.UTC(2026, 10, 20, 7, 0, 0, 0);
let sim: Simulator;
let customer: RawCustomer;

beforeEach(async () => {
  sim = await startSimulator({ customers: 12, rateLimitPerSecond: 5, now: manualClock(NOW).now });
  customer = sim.store.listCustomers('111')[0]!;
});
afterEach(() => sim.close());

describe('/__sim control routes', () => {
  it('GET health and pages', async () => {
    expect((await control(sim, 'GET', '/health')).body).toEqual({
      ok: true,
      pages: [
        { pageId: '111', customers: 12 },
        { pageId: '222', customers: 12 },
        { pageId: '333', customers: 12 },
      ],
    });
    expect((await control(sim, 'GET', '/pages')).body[1]).toEqual({
      pageId: '222',
      token: 'sim-token-222',
      customers: 12,
    });
  });

  it('GET log filters by page, DELETE log clears it', async () => {
    await list(sim);
    await list(sim, {}, { pageId: '222' });
    const log = (await control(sim, 'GET', '/log?page=222')).body;
    expect(log).toEqual([
      expect.objectContaining({ pageId: '222', operation: 'list', status: 200 }),
    ]);
    expect((await control(sim, 'GET', '/log')).body).toHaveLength(2);
    expect((await control(sim, 'DELETE', '/log')).status).toBe(200);
    expect(sim.requestLog()).toEqual([]);
  });

  it('POST, GET and DELETE faults', async () => {
    const created = await control(sim, 'POST', '/faults', {
      kind: 'status',
      status: 502,
      count: 2,
      operation: 'list',
    });
    expect(created.status).toBe(201);
    expect((await control(sim, 'GET', '/faults')).body).toEqual([
      { spec: { kind: 'status', status: 502, count: 2, operation: 'list' }, remaining: 2 },
    ]);
    expect((await list(sim)).status).toBe(502);
    expect((await control(sim, 'GET', '/faults')).body[0].remaining).toBe(1);
    await control(sim, 'DELETE', '/faults');
    expect((await list(sim)).status).toBe(200);
  });

  it('rejects an invalid fault and malformed JSON with 400', async () => {
    expect((await control(sim, 'POST', '/faults', { kind: 'status' })).status).toBe(400);
    expect((await control(sim, 'POST', '/faults', '{oops')).status).toBe(400);
  });

  it('edits phone numbers as the dashboard would: visible through the API, updated_at bumped', async () => {
    const { status, body } = await control(
      sim,
      'POST',
      `/pages/111/customers/${customer.id}/phone-numbers`,
      {
        phone_numbers: ['0912 345 678'],
      },
    );
    expect(status).toBe(200);
    expect(body.phone_numbers).toEqual(['0912 345 678']);
    const listed = (await list(sim, { order_by: 'updated_at', since: NOW / 1000 })).body.customers;
    expect(listed.map((c: RawCustomer) => [c.id, c.phone_numbers])).toEqual([
      [customer.id, ['0912 345 678']],
    ]);
    expect(seconds(listed[0].updated_at)).toBe(NOW / 1000);
  });

  it('adds a dashboard note (returned with its id) and reads a customer', async () => {
    const { status, body } = await control(
      sim,
      'POST',
      `/pages/111/customers/${customer.id}/notes`,
      { message: 'Từ dashboard' },
    );
    expect(status).toBe(201);
    expect(body).toMatchObject({
      message: 'Từ dashboard',
      created_at: NOW,
      created_by: { fb_name: 'Trần Thu Hà' },
    });
    const read = (await control(sim, 'GET', `/pages/111/customers/${customer.id}`)).body;
    expect(read.notes.map((n: { id: string }) => n.id)).toContain(body.id);
  });

  it('answers 404 for an unknown customer or route, 400 for bad phone numbers', async () => {
    expect((await control(sim, 'GET', '/pages/111/customers/nope')).status).toBe(404);
    expect((await control(sim, 'GET', '/nothing')).status).toBe(404);
    const bad = await control(sim, 'POST', `/pages/111/customers/${customer.id}/phone-numbers`, {
      phone_numbers: [1],
    });
    expect(bad.status).toBe(400);
  });

  it('is neither logged nor rate limited', async () => {
    for (let i = 0; i < 20; i++) await control(sim, 'GET', '/health');
    expect(sim.requestLog()).toEqual([]);
    for (let i = 0; i < 5; i++) expect((await list(sim)).status).toBe(200);
  });
});

describe('store access for tests', () => {
  it('getCustomer returns a deep copy', () => {
    const copy = sim.store.getCustomer('111', customer.id)!;
    copy.phone_numbers.push('mutated');
    copy.name = 'mutated';
    expect(sim.store.getCustomer('111', customer.id)).toEqual(customer);
    expect(sim.store.getCustomer('111', 'nope')).toBeUndefined();
    expect(sim.store.getCustomer('999', customer.id)).toBeUndefined();
  });

  it('setPhoneNumbers and addNote model dashboard edits and bump updated_at', () => {
    const updated = sim.store.setPhoneNumbers('111', customer.id, ['+84900000000']);
    expect(updated.phone_numbers).toEqual(['+84900000000']);
    expect(seconds(updated.updated_at)).toBe(NOW / 1000);
    const note = sim.store.addNote('111', customer.id, 'ghi chú');
    expect(sim.store.notesOf('111', customer.id).at(-1)).toEqual(note);
    expect(sim.store.findByPsid('111', customer.psid)!.id).toBe(customer.id);
  });

  it('throws for an unknown customer on edits', () => {
    expect(() => sim.store.setPhoneNumbers('111', 'nope', [])).toThrow(/No customer/);
    expect(() => sim.store.addNote('111', 'nope', 'x')).toThrow(/No customer/);
    expect(() => sim.store.notesOf('111', 'nope')).toThrow(/No customer/);
  });
});
