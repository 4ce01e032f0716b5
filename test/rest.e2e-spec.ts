/**
 * The REST mirror end to end: the real app (createApp) over HTTP against the simulator.
 * Upstream effects are checked in the simulator's store and request log, never through mocks.
 */
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { normalizePhoneNumber } from '../src/pancake/policy/phone-number.js';
import type { RawCustomer, Simulator } from '../tools/pancake-sim/index.js';
import {
  ALL_TIME,
  bearer,
  startGateway,
  startStack,
  TEST_KEYS,
  type TestGateway,
} from './support/gateway.js';

interface NoteJson {
  id: string;
  message: string;
  createdAt: string;
  updatedAt: string | null;
  removedAt: string | null;
  createdBy: { uid: string; name: string | null } | null;
  images: string[];
  links: string[];
}
interface CustomerJson {
  id: string;
  psid: string;
  pageId: string;
  globalCustomerId: string | null;
  name: string | null;
  phoneNumbers: string[];
  emails: string[];
  gender: string | null;
  livesIn: string | null;
  birthday: string | null;
  insertedAt: string | null;
  updatedAt: string | null;
  notes: NoteJson[];
  avatarUrl: string;
}
interface PageJson {
  total: number;
  pageNumber: number;
  pageSize: number;
  hasNextPage: boolean;
  nodes: CustomerJson[];
}
interface ErrorJson {
  error: {
    code: string;
    message: string;
    details?: { violations?: { field: string; rule: string }[] };
  };
}

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const CUSTOMER_KEYS = [
  'avatarUrl',
  'birthday',
  'emails',
  'gender',
  'globalCustomerId',
  'id',
  'insertedAt',
  'livesIn',
  'name',
  'notes',
  'pageId',
  'phoneNumbers',
  'psid',
  'updatedAt',
];
const WINDOW = `since=${encodeURIComponent(ALL_TIME.since)}&until=${encodeURIComponent(ALL_TIME.until)}`;

type Method = 'get' | 'post' | 'patch' | 'delete';
interface CallOptions {
  key?: string | null;
  body?: unknown;
  raw?: { payload: string; contentType: string };
  headers?: Record<string, string>;
}

describe('REST mirror (e2e)', () => {
  let close: () => Promise<void>;
  let sim: Simulator;
  let gateway: TestGateway;

  function call(method: Method, path: string, options: CallOptions = {}, base = gateway.url) {
    const test = request(base)[method](path).redirects(0);
    const key = options.key === undefined ? TEST_KEYS.admin : options.key;
    if (key !== null) void test.set('Authorization', bearer(key));
    for (const [name, value] of Object.entries(options.headers ?? {})) void test.set(name, value);
    if (options.raw)
      return test.set('Content-Type', options.raw.contentType).send(options.raw.payload);
    return options.body === undefined ? test : test.send(options.body as object);
  }

  async function listPage(pageId: string, query = ''): Promise<PageJson> {
    const response = await call('get', `/v1/pages/${pageId}/customers?${WINDOW}${query}`);
    expect(response.status).toBe(200);
    return response.body as PageJson;
  }

  /** Runs `work` and returns what it sent upstream (every page). */
  async function upstreamCallsOf(work: () => Promise<unknown>) {
    sim.clearLog();
    await work();
    return sim.requestLog();
  }

  function expectError(
    response: request.Response,
    status: number,
    code: string,
  ): ErrorJson['error'] {
    expect(response.status).toBe(status);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    const body = response.body as ErrorJson;
    expect(Object.keys(body)).toEqual(['error']);
    expect(body.error.code).toBe(code);
    expect(JSON.stringify(body)).not.toMatch(/sim-token|test-admin-key|stack/);
    return body.error;
  }

  function violatedFields(error: ErrorJson['error']): string[] {
    return (error.details?.violations ?? []).map((v) => v.field);
  }

  beforeAll(async () => {
    ({ sim, gateway, close } = await startStack({ customers: 60 }));
  });
  afterAll(() => close?.());

  describe('reads', () => {
    let nodes: CustomerJson[];

    it('lists a page: contract shape, avatar URL, notes, UTC dates, lower-case gender', async () => {
      const response = await call('get', `/v1/pages/111/customers?${WINDOW}`);
      expect(response.status).toBe(200);
      const page = response.body as PageJson;
      expect(Object.keys(page).sort()).toEqual([
        'hasNextPage',
        'nodes',
        'pageNumber',
        'pageSize',
        'source',
        'syncedAt',
        'total',
      ]);
      expect(page).toMatchObject({ total: 60, pageNumber: 1, pageSize: 100, hasNextPage: false });
      nodes = page.nodes;
      expect(nodes).toHaveLength(60);
      for (const customer of nodes) {
        expect(Object.keys(customer).sort()).toEqual(CUSTOMER_KEYS);
        expect(customer.pageId).toBe('111');
        expect(customer.insertedAt).toMatch(ISO_UTC);
        expect([null, 'male', 'female', 'unknown']).toContain(customer.gender);
        expect(customer.avatarUrl).toBe(`${sim.avatarBaseUrl}/pages/111/avatar/${customer.psid}`);
        for (const note of customer.notes) expect(note.createdAt).toMatch(ISO_UTC);
      }
      expect(nodes.some((c) => c.notes.length > 0)).toBe(true);
      expect(nodes.some((c) => c.gender !== null)).toBe(true);
      expect(response.headers['x-cache']).toBe('MISS');
    });

    it('answers the same read from the cache: X-Cache HIT, no upstream call', async () => {
      let response: request.Response | undefined;
      const calls = await upstreamCallsOf(async () => {
        response = await call('get', `/v1/pages/111/customers?${WINDOW}`);
      });
      expect(response!.status).toBe(200);
      expect(response!.headers['x-cache']).toBe('HIT');
      expect(response!.headers['x-gateway-stale']).toBeUndefined();
      expect(calls).toHaveLength(0);
    });

    it('pages with pageNumber, pageSize and orderBy', async () => {
      const second = await listPage('111', '&pageNumber=2&pageSize=25&orderBy=updated_at');
      expect(second).toMatchObject({ total: 60, pageNumber: 2, pageSize: 25, hasNextPage: true });
      expect(second.nodes).toHaveLength(25);
      // camelCase like the rest of the API; the same order as upstream's name.
      const camel = await listPage('111', '&pageNumber=2&pageSize=25&orderBy=updatedAt');
      expect(camel.nodes.map((c) => c.id)).toEqual(second.nodes.map((c) => c.id));
    });

    it('refuses bad list queries, naming each field, before any upstream call', async () => {
      let missing: request.Response | undefined;
      let ranges: request.Response | undefined;
      const calls = await upstreamCallsOf(async () => {
        missing = await call('get', '/v1/pages/111/customers?since=2025-01-01&orderBy=name');
        ranges = await call('get', `/v1/pages/111/customers?${WINDOW}&pageSize=500&pageNumber=0`);
      });
      const missingError = expectError(missing!, 400, 'BAD_USER_INPUT');
      expect(violatedFields(missingError)).toEqual(['since', 'until', 'orderBy']);
      expect(missingError.details?.violations?.[1]).toEqual({
        field: 'until',
        rule: 'is required',
      });
      expect(violatedFields(expectError(ranges!, 400, 'BAD_USER_INPUT'))).toEqual([
        'pageNumber',
        'pageSize',
      ]);
      expect(calls).toHaveLength(0);
    });

    it('gets one customer seen in a list, equal to its list entry', async () => {
      const target = nodes.find((c) => c.notes.length > 0)!;
      const response = await call('get', `/v1/pages/111/customers/${target.id}`);
      expect(response.status).toBe(200);
      expect(response.body).toEqual(target);
      expect(['HIT', 'MISS', 'COALESCED']).toContain(response.headers['x-cache']);
    });

    it('answers 404 for an unknown customer id', async () => {
      const error = expectError(
        await call('get', `/v1/pages/111/customers/${randomUUID()}`),
        404,
        'NOT_FOUND',
      );
      expect(error.message).toContain('not found');
    });

    it('answers 400 naming `id` for an id that is not a UUID', async () => {
      const error = expectError(
        await call('get', '/v1/pages/111/customers/not-a-uuid'),
        400,
        'BAD_USER_INPUT',
      );
      expect(error.details?.violations).toEqual([
        { field: 'id', rule: 'must be a UUID', value: 'not-a-uuid' },
      ]);
    });

    it('answers 404 for a page with no configured token', async () => {
      expectError(await call('get', `/v1/pages/999/customers?${WINDOW}`), 404, 'NOT_FOUND');
    });

    it('answers 404 in the contract shape for an unknown route', async () => {
      const error = expectError(await call('get', '/v1/nothing-here?x=1'), 404, 'NOT_FOUND');
      expect(error.message).toBe('no route for GET /v1/nothing-here');
    });
  });

  describe('customer writes', () => {
    let page: CustomerJson[];
    const pick = (predicate: (c: CustomerJson) => boolean, skip = 0) =>
      page.filter(predicate)[skip];

    beforeAll(async () => {
      page = (await listPage('111')).nodes;
    });

    it('PATCHes name, gender, birthday and phone numbers, normalized, and returns the customer', async () => {
      const target = pick(() => true, 1);
      let response: request.Response | undefined;
      const calls = await upstreamCallsOf(async () => {
        response = await call('patch', `/v1/pages/111/customers/${target.id}`, {
          body: {
            name: '  Trần Thị Mai  ',
            gender: 'female',
            birthday: '1990-02-28',
            phoneNumbers: ['090 123 4567'],
          },
        });
      });
      expect(response!.status).toBe(200);
      expect(response!.body).toMatchObject({
        id: target.id,
        name: 'Trần Thị Mai',
        gender: 'female',
        birthday: '1990-02-28',
        phoneNumbers: ['+84901234567'],
      });
      expect(calls.filter((e) => e.operation === 'update')).toHaveLength(1);
      const stored = sim.store.getCustomer('111', target.id) as RawCustomer;
      expect(stored).toMatchObject({
        name: 'Trần Thị Mai',
        gender: 'female',
        birthday: '1990-02-28',
        phone_numbers: ['+84901234567'],
      });
    });

    it('refuses `emails` with 400 naming it, and sends nothing upstream', async () => {
      const target = pick(() => true, 2);
      let response: request.Response | undefined;
      const calls = await upstreamCallsOf(async () => {
        response = await call('patch', `/v1/pages/111/customers/${target.id}`, {
          body: { name: 'Someone', emails: ['a@example.com'] },
        });
      });
      const error = expectError(response!, 400, 'BAD_USER_INPUT');
      expect(violatedFields(error)).toEqual(['emails']);
      expect(error.message).toContain('emails');
      expect(calls).toHaveLength(0);
    });

    it('refuses a future birthday with 400 naming birthday, and sends nothing upstream', async () => {
      const target = pick(() => true, 2);
      let response: request.Response | undefined;
      const calls = await upstreamCallsOf(async () => {
        response = await call('patch', `/v1/pages/111/customers/${target.id}`, {
          body: { birthday: '2999-01-01' },
        });
      });
      const error = expectError(response!, 400, 'BAD_USER_INPUT');
      expect(error.details?.violations).toEqual([
        { field: 'birthday', rule: 'must not be in the future', value: '2999-01-01' },
      ]);
      expect(calls).toHaveLength(0);
    });

    it('refuses wrong types at the DTO (name as a number)', async () => {
      const target = pick(() => true, 2);
      const error = expectError(
        await call('patch', `/v1/pages/111/customers/${target.id}`, { body: { name: 42 } }),
        400,
        'BAD_USER_INPUT',
      );
      expect(error.details?.violations).toEqual([{ field: 'name', rule: 'must be a string' }]);
    });

    it('merges phone numbers into the current list, keeping the existing ones', async () => {
      const target = pick((c) => c.phoneNumbers.length > 0, 3) ?? pick(() => true, 3);
      const before = (sim.store.getCustomer('111', target.id) as RawCustomer).phone_numbers;
      const response = await call('post', `/v1/pages/111/customers/${target.id}/phone-numbers`, {
        body: { phoneNumbers: ['0912 345 678'] },
      });
      expect(response.status).toBe(200);
      const phones = (response.body as CustomerJson).phoneNumbers;
      // Existing numbers stay, in the E.164 form the merge writes back.
      const kept = new Set(before.map((existing) => normalizePhoneNumber(existing, 'VN')));
      for (const existing of kept) expect(phones).toContain(existing);
      expect(phones).toHaveLength(kept.size + 1);
      expect(phones).toContain('+84912345678');
      expect((sim.store.getCustomer('111', target.id) as RawCustomer).phone_numbers).toEqual(
        phones,
      );
    });

    it('names the bad element of a phone list', async () => {
      const target = pick(() => true, 3);
      const error = expectError(
        await call('post', `/v1/pages/111/customers/${target.id}/phone-numbers`, {
          body: { phoneNumbers: ['0912 345 678', 'call me'] },
        }),
        400,
        'BAD_USER_INPUT',
      );
      expect(violatedFields(error)).toEqual(['phoneNumbers[1]']);
    });

    it('answers 400 "malformed JSON body" for broken JSON, before any upstream call', async () => {
      const target = pick(() => true, 2);
      let response: request.Response | undefined;
      const calls = await upstreamCallsOf(async () => {
        response = await call('patch', `/v1/pages/111/customers/${target.id}`, {
          raw: { payload: '{"name": "An",', contentType: 'application/json' },
        });
      });
      expect(expectError(response!, 400, 'BAD_USER_INPUT').message).toBe('malformed JSON body');
      expect(calls).toHaveLength(0);
    });

    it('answers 415 for a body that is not JSON', async () => {
      const target = pick(() => true, 2);
      expectError(
        await call('patch', `/v1/pages/111/customers/${target.id}`, {
          raw: { payload: '<name>An</name>', contentType: 'application/xml' },
        }),
        415,
        'BAD_USER_INPUT',
      );
    });
  });

  describe('notes', () => {
    let customerId: string;
    const notesPath = () => `/v1/pages/111/customers/${customerId}/notes`;

    beforeAll(async () => {
      customerId = (await listPage('111')).nodes[5].id;
    });

    it('creates a note: 201 with id and createdAt', async () => {
      const before = sim.store.notesOf('111', customerId).length;
      const response = await call('post', notesPath(), {
        body: { message: 'Called back, wants the blue one' },
      });
      expect(response.status).toBe(201);
      const note = response.body as NoteJson;
      expect(note.id).toEqual(expect.any(String));
      expect(note.createdAt).toMatch(ISO_UTC);
      expect(note.message).toBe('Called back, wants the blue one');
      expect(sim.store.notesOf('111', customerId)).toHaveLength(before + 1);
    });

    it('replays an Idempotency-Key: same key and body give the same note, created once', async () => {
      const key = randomUUID();
      const before = sim.store.notesOf('111', customerId).length;
      const body = { message: 'Idempotent hello' };
      const first = await call('post', notesPath(), { body, headers: { 'Idempotency-Key': key } });
      const second = await call('post', notesPath(), { body, headers: { 'Idempotency-Key': key } });
      expect(first.status).toBe(201);
      expect(second.status).toBe(201);
      expect((second.body as NoteJson).id).toBe((first.body as NoteJson).id);
      expect(sim.store.notesOf('111', customerId)).toHaveLength(before + 1);

      const other = await call('post', notesPath(), {
        body: { message: 'Another text' },
        headers: { 'Idempotency-Key': key },
      });
      expectError(other, 422, 'IDEMPOTENCY_KEY_REUSED');
      expect(sim.store.notesOf('111', customerId)).toHaveLength(before + 1);
    });

    it('refuses an empty message with 400 naming message', async () => {
      const error = expectError(
        await call('post', notesPath(), { body: { message: '   ' } }),
        400,
        'BAD_USER_INPUT',
      );
      expect(violatedFields(error)).toEqual(['message']);
    });

    it('edits a note and returns it', async () => {
      const created = (await call('post', notesPath(), { body: { message: 'Draft' } }))
        .body as NoteJson;
      const response = await call('patch', `${notesPath()}/${created.id}`, {
        body: { message: 'Final text' },
      });
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ id: created.id, message: 'Final text' });
      expect(sim.store.notesOf('111', customerId).find((n) => n.id === created.id)?.message).toBe(
        'Final text',
      );
    });

    it('deletes a note: 204 with no body', async () => {
      const created = (await call('post', notesPath(), { body: { message: 'To remove' } }))
        .body as NoteJson;
      const response = await call('delete', `${notesPath()}/${created.id}`);
      expect(response.status).toBe(204);
      expect(response.text).toBe('');
      expect(sim.store.notesOf('111', customerId).some((n) => n.id === created.id)).toBe(false);
    });

    it('answers 404 for an unknown note', async () => {
      expectError(
        await call('patch', `${notesPath()}/no-such-note`, { body: { message: 'x' } }),
        404,
        'NOT_FOUND',
      );
    });
  });

  describe('avatar redirect', () => {
    it('answers 301 to the public avatar URL with no key and no token', async () => {
      const psid = (await listPage('111')).nodes[0].psid;
      const response = await call('get', `/v1/pages/111/avatars/${psid}`, { key: null });
      expect(response.status).toBe(301);
      expect(response.headers.location).toBe(`${sim.avatarBaseUrl}/pages/111/avatar/${psid}`);
      expect(response.headers.location).not.toMatch(/token/);
    });

    it('validates the ids', async () => {
      const error = expectError(
        await call('get', '/v1/pages/111/avatars/..%2Fx', { key: null }),
        400,
        'BAD_USER_INPUT',
      );
      expect(violatedFields(error)).toEqual(['psid']);
    });
  });

  describe('authentication and access', () => {
    const listPath = (pageId: string) => `/v1/pages/${pageId}/customers?${WINDOW}`;
    let customerId: string;

    beforeAll(async () => {
      customerId = (await listPage('111')).nodes[0].id;
    });

    it('answers 401 without a key or with a wrong one', async () => {
      expectError(await call('get', listPath('111'), { key: null }), 401, 'UNAUTHENTICATED');
      expectError(await call('get', listPath('111'), { key: 'not-a-key' }), 401, 'UNAUTHENTICATED');
    });

    it('answers 403 for a read-only key writing', async () => {
      let response: request.Response | undefined;
      const calls = await upstreamCallsOf(async () => {
        response = await call('patch', `/v1/pages/111/customers/${customerId}`, {
          key: TEST_KEYS.reader,
          body: { name: 'Nope' },
        });
      });
      expectError(response!, 403, 'FORBIDDEN');
      expect(calls).toHaveLength(0);
      expect((await call('get', listPath('111'), { key: TEST_KEYS.reader })).status).toBe(200);
    });

    it('answers 403 for a key restricted to another page', async () => {
      expectError(await call('get', listPath('111'), { key: TEST_KEYS.page222 }), 403, 'FORBIDDEN');
      expect((await call('get', listPath('222'), { key: TEST_KEYS.page222 })).status).toBe(200);
    });
  });

  describe('upstream failures', () => {
    afterEach(() => sim.clearFaults());

    it('maps repeated upstream 500s to 502 UPSTREAM_ERROR', async () => {
      sim.injectFault({ kind: 'status', status: 500, count: 20, pageId: '222' });
      sim.clearLog();
      // A window nothing cached yet, so no stale copy can answer.
      const response = await call(
        'get',
        '/v1/pages/222/customers?since=2024-02-01T00:00:00Z&until=2024-03-01T00:00:00Z',
      );
      expectError(response, 502, 'UPSTREAM_ERROR');
      expect(sim.requestLog('222').length).toBeGreaterThan(1);
    });

    it('maps 429s beyond the retries to 429 RATE_LIMITED with Retry-After', async () => {
      sim.injectFault({
        kind: 'status',
        status: 429,
        count: 20,
        pageId: '333',
        retryAfterSeconds: 1,
      });
      const response = await call(
        'get',
        '/v1/pages/333/customers?since=2024-02-01T00:00:00Z&until=2024-03-01T00:00:00Z',
      );
      expectError(response, 429, 'RATE_LIMITED');
      expect(Number(response.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    });
  });

  describe('API docs and HTTP hardening', () => {
    it('serves Swagger UI at /docs from local assets, without a key', async () => {
      const page = await call('get', '/docs', { key: null });
      expect(page.status).toBe(200);
      expect(page.headers['content-type']).toMatch(/^text\/html/);
      expect(page.text).toContain('swagger-ui-bundle.js');
      // Offline: no asset from a CDN.
      expect(page.text).not.toMatch(/(src|href)=["']https?:/);
      const bundle = await call('get', '/docs/swagger-ui-bundle.js', { key: null });
      expect(bundle.status).toBe(200);
      const init = await call('get', '/docs/swagger-ui-init.js', { key: null });
      expect(init.status).toBe(200);
    });

    it('serves the OpenAPI document at /docs-json with every route, the error schema and bearer auth', async () => {
      const response = await call('get', '/docs-json', { key: null });
      expect(response.status).toBe(200);
      const doc = response.body as {
        paths: Record<
          string,
          Record<
            string,
            {
              responses: Record<string, unknown>;
              parameters?: { name: string; in: string; required?: boolean }[];
            }
          >
        >;
        components: {
          schemas: Record<string, unknown>;
          securitySchemes: Record<string, Record<string, string>>;
        };
      };
      expect(Object.keys(doc.paths).sort()).toEqual([
        '/v1/customers/search',
        '/v1/pages',
        '/v1/pages/{pageId}/avatars/{psid}',
        '/v1/pages/{pageId}/customers',
        '/v1/pages/{pageId}/customers/export',
        '/v1/pages/{pageId}/customers/{customerId}/notes',
        '/v1/pages/{pageId}/customers/{customerId}/notes/{noteId}',
        '/v1/pages/{pageId}/customers/{id}',
        '/v1/pages/{pageId}/customers/{id}/phone-numbers',
        '/v1/pages/{pageId}/events',
        '/v1/pages/{pageId}/stats/new-customers',
        '/v1/pages/{pageId}/sync',
        '/v1/webhooks',
        '/v1/webhooks/{id}',
        '/v1/webhooks/{id}/deliveries',
        '/v1/webhooks/{id}/replay',
        '/v1/webhooks/{id}/rotate-secret',
      ]);
      expect(Object.keys(doc.paths['/v1/webhooks/{id}']).sort()).toEqual([
        'delete',
        'get',
        'patch',
      ]);
      expect(doc.paths['/v1/webhooks'].post.responses).toHaveProperty('201');
      expect(Object.keys(doc.paths['/v1/pages/{pageId}/customers/{id}']).sort()).toEqual([
        'get',
        'patch',
      ]);
      const list = doc.paths['/v1/pages/{pageId}/customers'].get;
      expect(
        list.parameters
          ?.filter((p) => p.in === 'query')
          .map((p) => p.name)
          .sort(),
      ).toEqual([
        'includeRemovedNotes',
        'orderBy',
        'pageNumber',
        'pageSize',
        'since',
        'source',
        'until',
      ]);
      expect(Object.keys(list.responses)).toEqual(
        expect.arrayContaining(['200', '400', '401', '403', '404', '429', '502']),
      );
      expect(
        Object.keys(doc.paths['/v1/pages/{pageId}/customers/{customerId}/notes'].post.responses),
      ).toEqual(expect.arrayContaining(['201', '409', '413', '415', '422']));
      // One optional Idempotency-Key header, not a second required one from @Headers().
      const create = doc.paths['/v1/pages/{pageId}/customers/{customerId}/notes'].post;
      expect(
        create.parameters
          ?.filter((p) => p.in === 'header')
          .map((p) => [p.name.toLowerCase(), p.required ?? false]),
      ).toEqual([['idempotency-key', false]]);
      expect(doc.paths['/v1/pages/{pageId}/avatars/{psid}'].get.responses).toHaveProperty('301');
      expect(doc.components.schemas).toHaveProperty('ErrorResponse');
      expect(doc.components.schemas).toHaveProperty('CustomerResponse');
      expect(doc.components.securitySchemes['api-key']).toEqual({
        type: 'http',
        scheme: 'bearer',
        description: 'A key from GATEWAY_API_KEYS',
      });
      expect(JSON.stringify(doc)).not.toMatch(/\/health|\/metrics/);
    });

    it('sets security headers on API and docs responses, and no CORS header by default', async () => {
      for (const response of [
        await call('get', `/v1/pages/111/customers?${WINDOW}`),
        await call('get', '/docs', { key: null }),
      ]) {
        expect(response.headers['x-content-type-options']).toBe('nosniff');
        expect(response.headers['x-frame-options']).toBe('SAMEORIGIN');
        expect(response.headers['strict-transport-security']).toBeDefined();
        expect(response.headers['content-security-policy']).toContain("default-src 'self'");
      }
      // /graphql too: its landing page is a redirect to the local IDE, no inline script, no CDN.
      const landing = await call('get', '/graphql', {
        key: null,
        headers: { Accept: 'text/html' },
      });
      expect(landing.headers['x-content-type-options']).toBe('nosniff');
      expect(landing.headers['content-security-policy']).toContain("script-src 'self'");
      const cors = await call('get', `/v1/pages/111/customers?${WINDOW}`, {
        headers: { Origin: 'https://evil.example' },
      });
      expect(cors.headers['access-control-allow-origin']).toBeUndefined();
    });
  });

  describe('a gateway with a small body limit and a CORS allow-list', () => {
    let small: TestGateway;

    beforeAll(async () => {
      small = await startGateway(sim, {
        BODY_LIMIT_BYTES: '1024',
        CORS_ORIGINS: 'https://app.example',
      });
    });
    afterAll(() => small?.close());

    it('answers 413 PAYLOAD_TOO_LARGE for a body over BODY_LIMIT_BYTES, before any upstream call', async () => {
      const id = (await listPage('111')).nodes[0].id;
      let response: request.Response | undefined;
      const calls = await upstreamCallsOf(async () => {
        response = await call(
          'patch',
          `/v1/pages/111/customers/${id}`,
          { body: { name: 'x'.repeat(4096) } },
          small.url,
        );
      });
      expect(expectError(response!, 413, 'PAYLOAD_TOO_LARGE').message).toBe(
        'request body exceeds 1024 bytes',
      );
      expect(calls).toHaveLength(0);
    });

    it('allows listed origins only', async () => {
      const path = `/v1/pages/111/customers?${WINDOW}`;
      const allowed = await call(
        'get',
        path,
        { headers: { Origin: 'https://app.example' } },
        small.url,
      );
      expect(allowed.headers['access-control-allow-origin']).toBe('https://app.example');
      expect(allowed.headers['access-control-expose-headers']).toContain('X-Cache');
      expect(allowed.headers['access-control-expose-headers']).toContain('ETag');
      // CORS's Vary is kept, accept-encoding added to it.
      expect(allowed.headers.vary).toMatch(/Origin/);
      expect(allowed.headers.vary).toMatch(/accept-encoding/);
      const other = await call(
        'get',
        path,
        { headers: { Origin: 'https://evil.example' } },
        small.url,
      );
      expect(other.headers['access-control-allow-origin']).toBeUndefined();
      const preflight = await request(small.url)
        .options(`/v1/pages/111/customers/${randomUUID()}`)
        .set('Origin', 'https://app.example')
        .set('Access-Control-Request-Method', 'PATCH')
        .set('Access-Control-Request-Headers', 'authorization,content-type,if-none-match');
      expect(preflight.status).toBeLessThan(300);
      expect(preflight.headers['access-control-allow-methods']).toContain('PATCH');
      expect(preflight.headers['access-control-allow-headers']).toContain('If-None-Match');
    });
  });
});

describe('REST stale reads (e2e)', () => {
  it('serves the last good copy when upstream fails after the TTL, with X-Cache STALE, Age and a warning', async () => {
    const stack = await startStack({ customers: 10 }, { CACHE_TTL_SECONDS: '1' });
    try {
      const read = () =>
        request(stack.gateway.url)
          .get(`/v1/pages/111/customers?${WINDOW}`)
          .set('Authorization', bearer());
      const fresh = await read();
      expect(fresh.status).toBe(200);
      expect(fresh.headers['x-cache']).toBe('MISS');
      await new Promise((resolve) => setTimeout(resolve, 1100));
      stack.sim.injectFault({ kind: 'status', status: 500, count: 20, pageId: '111' });
      const stale = await read();
      expect(stale.status).toBe(200);
      expect(stale.body).toEqual(fresh.body);
      expect(stale.headers['x-cache']).toBe('STALE');
      expect(stale.headers['x-gateway-stale']).toBe('true');
      expect(stale.headers.warning).toBe('110 - "Response is stale"');
      expect(Number(stale.headers.age)).toBeGreaterThanOrEqual(1);
      // A stale copy must be revalidated at once; the fresh one could be kept for its TTL.
      expect(stale.headers['cache-control']).toBe('private, max-age=0');
      expect(fresh.headers['cache-control']).toMatch(/^private, max-age=[01]$/);
    } finally {
      await stack.close();
    }
  });
});
