import 'reflect-metadata';
import { ErrorCode } from '../src/common/errors/error-code.js';
import { GatewayError } from '../src/common/errors/gateway-error.js';
import { loadConfig } from '../src/config/load-config.js';
import { GatewayMetrics } from '../src/metrics/gateway-metrics.js';
import { InProcessRateLimiter } from '../src/pancake/limiter/in-process-rate-limiter.js';
import { PancakeHttp } from '../src/pancake/pancake-http.js';
import { PancakeTransport } from '../src/pancake/pancake-transport.js';
import { PancakeClient } from '../src/pancake/pancake.client.js';
import type { CustomerRecord } from '../src/pancake/pancake.model.js';
import { startSimulator, type Simulator } from '../tools/pancake-sim/index.js';

const ALL = { since: new Date('2023-01-01T00:00:00Z'), until: new Date('2026-12-31T00:00:00Z') };

interface Harness {
  client: PancakeClient;
  http: PancakeHttp;
  metrics: GatewayMetrics;
}

function clientFor(sim: Simulator, env: Record<string, string> = {}): Harness {
  const config = loadConfig({
    PANCAKE_BASE_URL: sim.url,
    PANCAKE_AVATAR_BASE_URL: sim.avatarBaseUrl,
    PANCAKE_PAGE_TOKENS: sim.pageTokensEnv,
    PANCAKE_RETRY_BASE_MS: '20',
    ...env,
  });
  const limiter = new InProcessRateLimiter({
    limitPerSecond: config.pancake.rateLimitPerSecond,
    maxWaitMs: config.pancake.rateLimitMaxWaitMs,
  });
  const http = new PancakeHttp({ timeoutMs: config.pancake.requestTimeoutMs, maxConnections: 8 });
  const metrics = new GatewayMetrics({ defaultMetrics: false });
  const transport = new PancakeTransport(config, limiter, http, metrics);
  return { client: new PancakeClient(config, transport), http, metrics };
}

async function errorOf(promise: Promise<unknown>): Promise<GatewayError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(GatewayError);
    return error as GatewayError;
  }
  throw new Error('expected a GatewayError');
}

describe('PancakeClient against the simulator', () => {
  let sim: Simulator;
  let harness: Harness;
  let client: PancakeClient;

  beforeAll(async () => {
    // A generous limit keeps this suite fast; the limit itself is tested in its own suites.
    sim = await startSimulator({ customers: 250, rateLimitPerSecond: 1000 });
    harness = clientFor(sim, { PANCAKE_RATE_LIMIT_PER_SECOND: '1000' });
    client = harness.client;
  });
  afterAll(async () => {
    await harness.http.close();
    await sim.close();
  });
  beforeEach(() => {
    sim.clearFaults();
    sim.clearLog();
  });

  async function someCustomer(pageId = '111', index = 0): Promise<CustomerRecord> {
    const page = await client.listCustomers(pageId, {
      ...ALL,
      pageNumber: 1,
      pageSize: 100,
      orderBy: 'inserted_at',
    });
    return page.customers[index];
  }

  it('walks every page of a list once, newest first', async () => {
    const seen = new Set<string>();
    let total: number | undefined;
    for (let pageNumber = 1; ; pageNumber += 1) {
      const page = await client.listCustomers('111', {
        ...ALL,
        pageNumber,
        pageSize: 100,
        orderBy: 'inserted_at',
      });
      total = page.total;
      if (page.customers.length === 0) break;
      for (const c of page.customers) {
        expect(seen.has(c.id)).toBe(false);
        seen.add(c.id);
        expect(c.pageId).toBe('111');
        expect(c.insertedAt).toBeInstanceOf(Date);
      }
    }
    expect(total).toBe(250);
    expect(seen.size).toBe(250);
    expect(sim.requestLog('111').filter((e) => e.operation === 'list')).toHaveLength(4);
  });

  it('sends since/until in seconds and maps note milliseconds to dates', async () => {
    const page = await client.listCustomers('111', {
      ...ALL,
      pageNumber: 1,
      pageSize: 100,
      orderBy: 'updated_at',
    });
    const withNotes = page.customers.find((c) => c.notes.length > 0);
    expect(withNotes).toBeDefined();
    const raw = sim.store.getCustomer('111', withNotes!.id)!;
    expect(withNotes!.notes[0].createdAt.getTime()).toBe(raw.notes![0].created_at);
    const updatedAts = page.customers.map((c) => c.updatedAt!.getTime());
    expect([...updatedAts].sort((a, b) => b - a)).toEqual(updatedAts);
  });

  it('finds one customer by a narrow window around inserted_at', async () => {
    const target = await someCustomer('111', 37);
    sim.clearLog();
    const found = await client.findCustomer('111', {
      id: target.id,
      insertedAt: target.insertedAt!,
    });
    expect(found?.id).toBe(target.id);
    const missing = await client.findCustomer('111', {
      id: '00000000-0000-4000-8000-000000000000',
      insertedAt: target.insertedAt!,
    });
    expect(missing).toBeNull();
  });

  it('updates with only the given fields', async () => {
    const target = await someCustomer('222', 3);
    const before = sim.store.getCustomer('222', target.id)!;
    await client.updateCustomer('222', target.id, {
      name: 'Nguyễn Văn Test',
      phoneNumbers: ['+84901234567'],
    });
    const after = sim.store.getCustomer('222', target.id)!;
    expect(after.name).toBe('Nguyễn Văn Test');
    expect(after.phone_numbers).toEqual(['+84901234567']);
    expect(after.gender).toBe(before.gender);
    expect(after.birthday).toBe(before.birthday);
  });

  it('maps a rejected page token to a clear configuration error without the token', async () => {
    const wrong = clientFor(sim, {
      PANCAKE_PAGE_TOKENS: '111=definitely-wrong-token-value',
      PANCAKE_RATE_LIMIT_PER_SECOND: '1000',
    });
    const error = await errorOf(
      wrong.client.listCustomers('111', {
        ...ALL,
        pageNumber: 1,
        pageSize: 10,
        orderBy: 'inserted_at',
      }),
    );
    expect(error.code).toBe(ErrorCode.UPSTREAM_ERROR);
    expect(error.message).toMatch(/page token for page 111/);
    expect(JSON.stringify({ m: error.message, d: error.details })).not.toContain(
      'definitely-wrong-token-value',
    );
    // A 401 is not retried.
    expect(sim.requestLog('111').filter((e) => e.status === 401)).toHaveLength(1);
    await wrong.http.close();
  });

  it('refuses an unconfigured page before any request', async () => {
    const error = await errorOf(
      client.listCustomers('999', { ...ALL, pageNumber: 1, pageSize: 10, orderBy: 'inserted_at' }),
    );
    expect(error.code).toBe(ErrorCode.NOT_FOUND);
    expect(sim.requestLog()).toHaveLength(0);
  });

  it('maps an unknown customer to NOT_FOUND and an unknown note to NOT_FOUND', async () => {
    const unknown = '00000000-0000-4000-8000-000000000000';
    expect((await errorOf(client.updateCustomer('111', unknown, { name: 'x' }))).code).toBe(
      ErrorCode.NOT_FOUND,
    );
    const target = await someCustomer('111', 5);
    const noteError = await errorOf(
      client.updateNote('111', target.id, 'ffffffffffffffffffffffff', 'hello'),
    );
    expect(noteError.code).toBe(ErrorCode.NOT_FOUND);
    expect(noteError.message).toMatch(/Note not found/);
  });

  it.each([
    ['HTTP 500', { kind: 'status' as const, status: 500 }],
    ['HTTP 503', { kind: 'status' as const, status: 503 }],
    ['200 success:false', { kind: 'success-false' as const }],
    ['a reset connection', { kind: 'reset' as const }],
    ['HTTP 429', { kind: 'status' as const, status: 429 }],
  ])('retries a read after %s, each retry seen by the upstream', async (_label, fault) => {
    sim.injectFault({ ...fault, pageId: '111', operation: 'list', count: 2 });
    const page = await client.listCustomers('111', {
      ...ALL,
      pageNumber: 1,
      pageSize: 10,
      orderBy: 'inserted_at',
    });
    expect(page.customers).toHaveLength(10);
    const lists = sim.requestLog('111').filter((e) => e.operation === 'list');
    expect(lists).toHaveLength(3);
    expect(lists[2].status).toBe(200);
  });

  it('gives up after the retry budget with UPSTREAM_ERROR', async () => {
    sim.injectFault({ kind: 'status', status: 502, pageId: '111', operation: 'list', count: 10 });
    const error = await errorOf(
      client.listCustomers('111', { ...ALL, pageNumber: 1, pageSize: 10, orderBy: 'inserted_at' }),
    );
    expect(error.code).toBe(ErrorCode.UPSTREAM_ERROR);
    expect(error.message).not.toMatch(/sim-token/);
    expect(sim.requestLog('111').filter((e) => e.operation === 'list')).toHaveLength(4); // 1 + 3 retries
    expect(await harness.metrics.upstreamRetries.get()).toBeDefined();
  });

  it('surfaces persistent 429s as RATE_LIMITED with a retry hint', async () => {
    sim.injectFault({ kind: 'status', status: 429, pageId: '333', operation: 'list', count: 10 });
    const error = await errorOf(
      client.listCustomers('333', { ...ALL, pageNumber: 1, pageSize: 10, orderBy: 'inserted_at' }),
    );
    expect(error.code).toBe(ErrorCode.RATE_LIMITED);
    expect(error.retryAfterSeconds).toBeGreaterThanOrEqual(1);
  });

  it('honours Retry-After before retrying', async () => {
    sim.injectFault({
      kind: 'status',
      status: 503,
      retryAfterSeconds: 1,
      pageId: '111',
      operation: 'list',
      count: 1,
    });
    await client.listCustomers('111', {
      ...ALL,
      pageNumber: 1,
      pageSize: 10,
      orderBy: 'inserted_at',
    });
    const [first, second] = sim.requestLog('111');
    expect(second.receivedAt - first.receivedAt).toBeGreaterThanOrEqual(950);
  });

  it('does not retry other 4xx', async () => {
    sim.injectFault({ kind: 'status', status: 400, pageId: '111', operation: 'list', count: 1 });
    const error = await errorOf(
      client.listCustomers('111', { ...ALL, pageNumber: 1, pageSize: 10, orderBy: 'inserted_at' }),
    );
    expect(error.code).toBe(ErrorCode.BAD_USER_INPUT);
    expect(sim.requestLog('111')).toHaveLength(1);
  });

  it('treats a retried delete whose first attempt landed as done', async () => {
    const target = await someCustomer('111', 13);
    const note = sim.store.addNote('111', target.id, 'to delete');
    sim.injectFault({
      kind: 'status',
      status: 502,
      afterAction: true,
      pageId: '111',
      operation: 'note_delete',
      count: 1,
    });
    await client.deleteNote('111', target.id, note.id);
    expect(sim.store.notesOf('111', target.id).some((n) => n.id === note.id)).toBe(false);
  });

  it('refuses ids that could change the upstream path', async () => {
    for (const bad of ['../111', '111/page_customers', '111?x=1']) {
      expect(
        (
          await errorOf(
            client.listCustomers(bad, {
              ...ALL,
              pageNumber: 1,
              pageSize: 1,
              orderBy: 'inserted_at',
            }),
          )
        ).code,
      ).toBe(ErrorCode.BAD_USER_INPUT);
    }
    expect((await errorOf(client.updateCustomer('111', '../../x', { name: 'x' }))).code).toBe(
      ErrorCode.BAD_USER_INPUT,
    );
    expect(sim.requestLog()).toHaveLength(0);
  });

  it('builds the public avatar URL without a token', () => {
    expect(client.avatarUrl('111', '1494977527279229')).toBe(
      `${sim.avatarBaseUrl}/pages/111/avatar/1494977527279229`,
    );
  });
});
