/**
 * GraphQL reads, access and upstream failures end to end: the real app (createApp) over HTTP
 * against the simulator. Effects are checked in the simulator's store and request log.
 */
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { RawCustomer, Simulator } from '../tools/pancake-sim/index.js';
import { ALL_TIME, bearer, startStack, TEST_KEYS } from './support/gateway.js';
import {
  countQuery,
  CUSTOMER_FIELDS,
  GraphqlClient,
  ISO_UTC,
  LIST,
  onlyError,
  upstreamCallsOf,
  type CustomerJson,
  type GqlBody,
} from './support/graphql-client.js';

describe('GraphQL reads (e2e)', () => {
  let close: () => Promise<void>;
  let sim: Simulator;
  let client: GraphqlClient;

  beforeAll(async () => {
    const stack = await startStack({ customers: 60 });
    ({ sim, close } = stack);
    client = new GraphqlClient(stack.gateway.url);
  });
  afterAll(() => close?.());

  describe('queries', () => {
    let nodes: CustomerJson[];

    it('lists customers with notes, avatar URL, UTC DateTimes, upper-case Gender and partial birthdays kept', async () => {
      const page = await client.list('111', { pageSize: 100 });
      nodes = page.nodes;
      expect(page).toMatchObject({ total: 60, pageNumber: 1, pageSize: 100, hasNextPage: false });
      expect(nodes).toHaveLength(60);
      for (const customer of nodes) {
        expect(customer.pageId).toBe('111');
        expect(customer.insertedAt).toMatch(ISO_UTC);
        expect([null, 'MALE', 'FEMALE', 'UNKNOWN']).toContain(customer.gender);
        expect(customer.avatarUrl.startsWith(sim.avatarBaseUrl)).toBe(true);
        expect(customer.avatarUrl).toContain(customer.psid);
        expect(customer.avatarUrl).not.toContain('sim-token');
        for (const note of customer.notes) expect(note.createdAt).toMatch(ISO_UTC);
      }
      expect(nodes.some((c) => c.notes.length > 0)).toBe(true);
      expect(nodes.some((c) => c.gender !== null)).toBe(true);
      // Upstream keeps unknown birthday parts as 00; the gateway passes them through.
      const raw = new Map(sim.store.listCustomers('111').map((c: RawCustomer) => [c.id, c]));
      expect(nodes.filter((c) => c.birthday?.includes('-00')).length).toBeGreaterThan(0);
      for (const customer of nodes) expect(customer.birthday).toBe(raw.get(customer.id)?.birthday);
    });

    it('pages with total, pageNumber, pageSize and hasNextPage', async () => {
      const second = await client.list('111', { pageNumber: 2, pageSize: 25 });
      expect(second).toMatchObject({ total: 60, pageNumber: 2, pageSize: 25, hasNextPage: true });
      expect(second.nodes).toHaveLength(25);
      const last = await client.list('111', { pageNumber: 3, pageSize: 25 });
      expect(last).toMatchObject({ pageNumber: 3, hasNextPage: false });
      expect(last.nodes).toHaveLength(10);
    });

    it('reports the cache outcome in X-Cache and replays a repeated query without upstream calls', async () => {
      const first = await client.gql(LIST, { pageId: '111', ...ALL_TIME, pageSize: 7 });
      const lists = sim.requestLog('111').length;
      const again = await client.gql(LIST, { pageId: '111', ...ALL_TIME, pageSize: 7 });
      expect(first.headers['x-cache']).toBe('MISS');
      expect(again.headers['x-cache']).toBe('HIT');
      expect(again.body).toEqual(first.body);
      expect(first.body.extensions?.cache).toBeUndefined();
      expect(sim.requestLog('111')).toHaveLength(lists);
    });

    it('finds a listed customer by id, and answers null for an unknown UUID without calling upstream', async () => {
      const target = nodes[3];
      const byId = `query($id: ID!) { customer(pageId: "111", id: $id) { ${CUSTOMER_FIELDS} } }`;
      const { body } = await client.gql(byId, { id: target.id });
      expect(body.errors).toBeUndefined();
      expect(body.data!.customer).toEqual(target);
      let unknown: GqlBody | undefined;
      const calls = await upstreamCallsOf(sim, async () => {
        unknown = (await client.gql(byId, { id: randomUUID() })).body;
      });
      expect(unknown).toEqual({ data: { customer: null }, extensions: { dataSource: 'UPSTREAM' } });
      expect(calls).toBe(0);
    });

    it('refuses a bad DateTime variable or pageSize with BAD_USER_INPUT before any upstream call', async () => {
      let badDate: GqlBody | undefined;
      let badSize: GqlBody | undefined;
      const calls = await upstreamCallsOf(sim, async () => {
        const since = '2024-01-01';
        badDate = (await client.gql(LIST, { pageId: '111', since, until: ALL_TIME.until })).body;
        badSize = (await client.gql(LIST, { pageId: '111', ...ALL_TIME, pageSize: 101 })).body;
      });
      expect(calls).toBe(0);
      const dateError = onlyError(badDate!);
      expect(dateError.extensions.code).toBe('BAD_USER_INPUT');
      expect(dateError.message).toContain('$since');
      expect(dateError.message).toContain(
        'DateTime must be an ISO-8601 date-time with offset, e.g. 2026-01-31T00:00:00Z',
      );
      const sizeError = onlyError(badSize!);
      expect(sizeError.extensions.code).toBe('BAD_USER_INPUT');
      expect(sizeError.extensions.details?.violations).toEqual([
        expect.objectContaining({ field: 'pageSize', rule: 'must be an integer from 1 to 100' }),
      ]);
    });

    it('names the argument of a bad literal and of a bad enum', async () => {
      const literal = onlyError(
        (await client.gql(countQuery('111').replace(ALL_TIME.since, 'yesterday'))).body,
      );
      expect(literal.extensions.code).toBe('BAD_USER_INPUT');
      expect(literal.message).toMatch(/^Argument "since": DateTime must be/);
      const withBadOrder = countQuery('111').replace(') {', ', orderBy: inserted_at) {');
      const badEnum = onlyError((await client.gql(withBadOrder)).body);
      expect(badEnum.extensions.code).toBe('BAD_USER_INPUT');
      expect(badEnum.message).toMatch(
        /^Argument "orderBy": Value "inserted_at" does not exist in "CustomerOrder" enum/,
      );
    });
  });

  describe('access', () => {
    it('answers UNAUTHENTICATED without a key and with a wrong one', async () => {
      for (const key of [null, 'not-a-configured-key-0123456789']) {
        for (const query of [
          countQuery('111'),
          '{ __typename }',
          '{ __schema { types { name } } }',
        ]) {
          const { status, body } = await client.gql(query, {}, key);
          expect(status).toBe(401);
          expect(body.data ?? null).toBeNull();
          expect(onlyError(body).extensions.code).toBe('UNAUTHENTICATED');
        }
      }
      expect(sim.requestLog()).toHaveLength(0);
    });

    it('answers FORBIDDEN to a read-only key writing and to a key used on another page', async () => {
      const id = (await client.list('111', { pageSize: 1 })).nodes[0].id;
      const createNote = `mutation($id: ID!) { createNote(pageId: "111", customerId: $id, message: "x") { id } }`;
      const readOnly = await client.gql(createNote, { id }, TEST_KEYS.reader);
      expect(onlyError(readOnly.body).extensions.code).toBe('FORBIDDEN');
      expect(sim.store.notesOf('111', id).some((n) => n.message === 'x')).toBe(false);
      const otherPage = await client.gql(countQuery('111'), {}, TEST_KEYS.page222);
      expect(onlyError(otherPage.body).extensions.code).toBe('FORBIDDEN');
    });

    it('answers NOT_FOUND for a page with no configured token', async () => {
      const { body } = await client.gql(countQuery('999'));
      expect(onlyError(body).extensions.code).toBe('NOT_FOUND');
    });
  });

  describe('upstream failures', () => {
    afterEach(() => sim.clearFaults());

    it('maps repeated upstream 500s to UPSTREAM_ERROR after retries', async () => {
      sim.injectFault({ kind: 'status', status: 500, count: 10, pageId: '222' });
      sim.clearLog();
      const error = onlyError((await client.gql(countQuery('222'))).body);
      expect(error.extensions.code).toBe('UPSTREAM_ERROR');
      expect(error.message).not.toContain('sim-token');
      expect(sim.requestLog('222').length).toBeGreaterThan(1);
    });
  });
});

describe('GraphQL stale reads (e2e)', () => {
  it('serves the last good copy when upstream fails after the TTL, flagged in extensions.cache', async () => {
    const stack = await startStack({ customers: 10 }, { CACHE_TTL_SECONDS: '1' });
    try {
      const read = () =>
        request(stack.gateway.url)
          .post('/graphql')
          .set('Authorization', bearer())
          .send({ query: countQuery('111') });
      const fresh = await read();
      expect(fresh.body).toEqual({
        data: { customers: { total: 10 } },
        extensions: { dataSource: 'UPSTREAM' },
      });
      expect(fresh.headers['x-cache']).toBe('MISS');
      await new Promise((resolve) => setTimeout(resolve, 1100));
      stack.sim.injectFault({ kind: 'status', status: 500, count: 20, pageId: '111' });
      const stale = await read();
      expect(stale.body.data).toEqual({ customers: { total: 10 } });
      expect(stale.body.extensions.cache).toEqual({
        stale: true,
        ageSeconds: expect.any(Number),
        outcomes: ['stale'],
      });
      expect(stale.body.extensions.cache.ageSeconds).toBeGreaterThanOrEqual(1);
      expect(stale.headers['x-cache']).toBe('STALE');
    } finally {
      await stack.close();
    }
  });
});
