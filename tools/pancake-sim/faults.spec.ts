import { performance } from 'node:perf_hooks';
import { startSimulator } from './index.js';
import type { Simulator } from './types.js';
import type { RawCustomer } from './raw-shapes.js';
import { api, list } from './spec-helpers.js';

let sim: Simulator;
let customer: RawCustomer;

beforeEach(async () => {
  sim = await startSimulator({ customers: 10, rateLimitPerSecond: Infinity });
  customer = sim.store.listCustomers('111')[0]!;
});
afterEach(() => sim.close());

const createNote = (message: string) =>
  api(sim, 'POST', `page_customers/${customer.id}/notes`, { body: { message } });
const notesNamed = (message: string) =>
  sim.store.notesOf('111', customer.id).filter((n) => n.message === message);

describe('status faults', () => {
  it('answers the status count times, with Retry-After when asked, then the real answer', async () => {
    sim.injectFault({ kind: 'status', status: 503, count: 2, retryAfterSeconds: 2 });
    for (let i = 0; i < 2; i++) {
      const { status, headers, body } = await list(sim);
      expect(status).toBe(503);
      expect(headers.get('retry-after')).toBe('2');
      expect(body).toEqual({ success: false, message: 'Service Unavailable', error_code: 503 });
    }
    const after = await list(sim);
    expect(after.status).toBe(200);
    expect(after.headers.get('retry-after')).toBeNull();
  });

  it('answers an injected 429 like the real one, with a custom error code when given', async () => {
    sim.injectFault({ kind: 'status', status: 429, count: 1 });
    sim.injectFault({ kind: 'status', status: 401, count: 1, errorCode: 102 });
    expect((await list(sim)).body).toEqual({
      success: false,
      message: 'Too many requests',
      error_code: 429,
    });
    expect((await list(sim)).body).toMatchObject({ success: false, error_code: 102 });
  });

  it('is consumed in order and does not apply the operation', async () => {
    sim.injectFault({ kind: 'status', status: 500, count: 1 });
    sim.injectFault({ kind: 'status', status: 502, count: 1 });
    expect((await createNote('lost')).status).toBe(500);
    expect((await createNote('lost')).status).toBe(502);
    expect(notesNamed('lost')).toHaveLength(0);
    expect(sim.requestLog().map((e) => [e.status, e.fault])).toEqual([
      [500, 'status'],
      [502, 'status'],
    ]);
  });

  it('targets only its page and operation', async () => {
    sim.injectFault({ kind: 'status', status: 500, count: 1, pageId: '222' });
    sim.injectFault({ kind: 'status', status: 502, count: 1, operation: 'note_create' });
    expect((await list(sim)).status).toBe(200);
    expect((await createNote('x')).status).toBe(502);
    expect((await list(sim, {}, { pageId: '222' })).status).toBe(500);
    expect((await list(sim, {}, { pageId: '222' })).status).toBe(200);
  });
});

describe('customer faults', () => {
  it('targets only writes to the named customer', async () => {
    const other = sim.store.listCustomers('111')[1]!;
    sim.injectFault({ kind: 'status', status: 503, count: 1, customerId: other.id });
    expect((await list(sim)).status).toBe(200);
    expect((await createNote('mine')).status).toBe(200);
    const theirs = await api(sim, 'POST', `page_customers/${other.id}/notes`, {
      body: { message: 'theirs' },
    });
    expect(theirs.status).toBe(503);
  });

  it('runs a delayed write when its delay ends, even after the client gave up', async () => {
    sim.injectFault({ kind: 'latency', latencyMs: 300, count: 1, operation: 'note_create' });
    const url = `${sim.url}/pages/111/page_customers/${customer.id}/notes?page_access_token=sim-token-111`;
    const gaveUp = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ message: 'late' }),
      signal: AbortSignal.timeout(50),
    }).catch((error: unknown) => error);
    expect(gaveUp).toMatchObject({ name: 'TimeoutError' });
    expect(notesNamed('late')).toHaveLength(0);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(notesNamed('late')).toHaveLength(1);
  });
});

describe('success-false', () => {
  it('answers HTTP 200 { success: false } once, then the same call succeeds', async () => {
    sim.injectFault({ kind: 'success-false', count: 1 });
    const first = await list(sim);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({
      success: false,
      message: 'Temporary backend error',
      error_code: 100,
    });
    expect(sim.requestLog()[0]).toMatchObject({
      status: 200,
      errorCode: 100,
      fault: 'success-false',
    });
    expect((await list(sim)).body.success).toBe(true);
  });
});

describe('latency', () => {
  it('delays the real answer', async () => {
    sim.injectFault({ kind: 'latency', latencyMs: 300, count: 1 });
    const started = performance.now();
    const { status, body } = await list(sim);
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    expect(status).toBe(200);
    expect(body.success).toBe(true);
    expect(sim.requestLog()[0]).toMatchObject({ status: 200, fault: 'latency' });
  });
});

describe('reset', () => {
  it('destroys the socket without an answer and without applying the operation', async () => {
    sim.injectFault({ kind: 'reset', count: 1 });
    await expect(createNote('reset')).rejects.toThrow();
    expect(notesNamed('reset')).toHaveLength(0);
    expect(sim.requestLog()[0]).toMatchObject({ status: 0, fault: 'reset', counted: true });
    expect((await list(sim)).status).toBe(200);
  });
});

describe('afterAction: upstream acted, the answer was lost', () => {
  it('creates the note and still answers the fault: a blind retry duplicates it', async () => {
    sim.injectFault({
      kind: 'status',
      status: 502,
      count: 1,
      operation: 'note_create',
      afterAction: true,
    });
    expect((await createNote('once')).status).toBe(502);
    expect(notesNamed('once')).toHaveLength(1);
    expect((await createNote('once')).status).toBe(200);
    expect(notesNamed('once')).toHaveLength(2);
  });

  it('with reset: the client sees a network error but the note exists', async () => {
    sim.injectFault({ kind: 'reset', count: 1, afterAction: true });
    await expect(createNote('after reset')).rejects.toThrow();
    expect(notesNamed('after reset')).toHaveLength(1);
  });

  it('with success-false on an update: the change is applied', async () => {
    sim.injectFault({ kind: 'success-false', count: 1, afterAction: true });
    const { body } = await api(sim, 'PUT', `page_customers/${customer.id}`, {
      body: { changes: { name: 'Applied' } },
    });
    expect(body.success).toBe(false);
    expect(sim.store.getCustomer('111', customer.id)!.name).toBe('Applied');
  });
});

describe('avatar and fault management', () => {
  it('leaves the avatar alone unless a fault names it', async () => {
    sim.injectFault({ kind: 'status', status: 500, count: 1 });
    const avatar = () =>
      fetch(`${sim.avatarBaseUrl}/pages/111/avatar/123456789012345`, { redirect: 'manual' });
    expect((await avatar()).status).toBe(301);
    expect((await list(sim)).status).toBe(500);
    sim.injectFault({ kind: 'status', status: 503, count: 1, operation: 'avatar' });
    expect((await avatar()).status).toBe(503);
    expect((await avatar()).status).toBe(301);
  });

  it('clearFaults drops every pending fault', async () => {
    sim.injectFault({ kind: 'status', status: 500, count: 5 });
    sim.clearFaults();
    expect((await list(sim)).status).toBe(200);
  });

  it.each([
    ['an unknown kind', { kind: 'boom', count: 1 }],
    ['a zero count', { kind: 'status', count: 0 }],
    ['an unknown operation', { kind: 'status', count: 1, operation: 'unknown' }],
    ['a bad status', { kind: 'status', count: 1, status: 42 }],
  ])('injectFault rejects %s', (_, spec) => {
    expect(() => sim.injectFault(spec as never)).toThrow(/Invalid fault/);
  });

  it('close() does not wait for a delayed answer', async () => {
    sim.injectFault({ kind: 'latency', latencyMs: 60_000, count: 1 });
    const pending = list(sim).catch((err: unknown) => err);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await sim.close();
    // fetch's TypeError comes from another realm under jest's vm modules: match by message.
    expect(String(await pending)).toMatch(/fetch failed/);
  });
});
