/**
 * The GraphQL endpoint's own guards end to end: abuse limits refused before any upstream call,
 * CSRF prevention, introspection outside production, metrics, and the committed schema.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import request from 'supertest';
import { schemaSdl } from '../src/common/graphql/schema-sdl.js';
import { GatewayMetrics } from '../src/metrics/gateway-metrics.js';
import type { Simulator } from '../tools/pancake-sim/index.js';
import { ALL_TIME, bearer, startStack, type TestGateway } from './support/gateway.js';
import {
  countQuery,
  GraphqlClient,
  onlyError,
  upstreamCallsOf,
  type GqlBody,
} from './support/graphql-client.js';

/** `count` aliased list reads of page 111, each a different page number. */
function aliasedLists(count: number): string {
  const window = `since: "${ALL_TIME.since}", until: "${ALL_TIME.until}"`;
  const fields = Array.from(
    { length: count },
    (_, i) => `a${i}: customers(pageId: "111", ${window}, pageNumber: ${i + 1}) { total }`,
  );
  return `{ ${fields.join(' ')} }`;
}

describe('GraphQL limits and HTTP surface (e2e)', () => {
  let close: () => Promise<void>;
  let sim: Simulator;
  let gateway: TestGateway;
  let client: GraphqlClient;

  beforeAll(async () => {
    const stack = await startStack({ customers: 10 });
    ({ sim, gateway, close } = stack);
    client = new GraphqlClient(gateway.url);
  });
  afterAll(() => close?.());

  describe('abuse limits', () => {
    it('refuses 500 aliased reads before any upstream call', async () => {
      let result: { status: number; body: GqlBody } | undefined;
      const calls = await upstreamCallsOf(sim, async () => {
        result = await client.gql(aliasedLists(500));
      });
      expect(calls).toBe(0);
      expect(result!.status).toBe(400);
      expect(result!.body.data).toBeUndefined();
      expect(result!.body.errors?.length).toBeGreaterThan(0);
      for (const error of result!.body.errors!) {
        expect(error.extensions.code).toBe('BAD_USER_INPUT');
      }
    });

    it('refuses more upstream reads than GRAPHQL_MAX_UPSTREAM_READS, also within the alias limit', async () => {
      const max = gateway.config.graphql.maxUpstreamReads;
      let result: { status: number; body: GqlBody } | undefined;
      const calls = await upstreamCallsOf(sim, async () => {
        result = await client.gql(aliasedLists(max + 1));
      });
      expect(calls).toBe(0);
      expect(result!.status).toBe(400);
      expect(onlyError(result!.body)).toEqual({
        message: `this operation reads ${max + 1} pages from Pancake; at most ${max} per request`,
        locations: [{ line: 1, column: 1 }],
        extensions: {
          code: 'BAD_USER_INPUT',
          details: {
            violations: [
              {
                field: 'query',
                rule: `this operation reads ${max + 1} pages from Pancake; at most ${max} per request`,
              },
            ],
          },
        },
      });
      // 10 aliases is graphql-armor's own limit: only the upstream-reads rule refuses it.
      const atAliasLimit = await client.gql(aliasedLists(10));
      expect(atAliasLimit.body.errors?.map((e) => e.message)).toEqual([
        `this operation reads 10 pages from Pancake; at most ${max} per request`,
      ]);
    });

    it('refuses 6 aliased createNote before any upstream request, naming the count and the bound', async () => {
      const { id } = (await client.list('111', { pageSize: 3 })).nodes[0];
      const notes = Array.from(
        { length: 6 },
        (_, i) => `n${i}: createNote(pageId: "111", customerId: "${id}", message: "n${i}") { id }`,
      );
      let result: { status: number; body: GqlBody } | undefined;
      const calls = await upstreamCallsOf(sim, async () => {
        result = await client.gql(`mutation { ${notes.join(' ')} }`);
      });
      expect(calls).toBe(0);
      expect(result!.status).toBe(400);
      // Each createNote may send 11: a customer read (up to 5 list pages), the POST, a read-back.
      expect(onlyError(result!.body)).toEqual({
        message: `this operation may send up to 66 requests to Pancake; at most ${gateway.config.graphqlMaxUpstreamRequests} per request`,
        locations: [{ line: 1, column: 1 }],
        extensions: {
          code: 'BAD_USER_INPUT',
          details: { violations: [{ field: 'query', rule: expect.stringContaining('up to 66') }] },
        },
      });
      expect(sim.store.notesOf('111', id).filter((n) => /^n\d$/.test(n.message))).toEqual([]);

      const one = await client.gql(
        `mutation { createNote(pageId: "111", customerId: "${id}", message: "just one") { message } }`,
      );
      expect(one.body).toEqual({ data: { createNote: { message: 'just one' } } });
    });

    it('has every root field declare the upstream requests it may send', () => {
      const schema = gateway.app.get(GraphQLSchemaHost).schema;
      const declared = [schema.getQueryType()!, schema.getMutationType()!].flatMap((type) =>
        Object.values(type.getFields()).map((field) => [
          `${type.name}.${field.name}`,
          field.extensions.upstreamRequests,
        ]),
      );
      expect(Object.fromEntries(declared)).toEqual({
        'Query.customers': 1,
        'Query.customer': 5,
        'Mutation.updateCustomer': 6,
        'Mutation.addCustomerPhoneNumbers': 11,
        'Mutation.createNote': 11,
        'Mutation.updateNote': 6,
        'Mutation.deleteNote': 1,
      });
      // The default bound lets any single mutation and the five-read queries through.
      expect(gateway.config.graphqlMaxUpstreamRequests).toBe(25);
    });

    it('refuses deep and long documents', async () => {
      const nested = `${'... on Customer { '.repeat(10)} id ${'}'.repeat(10)}`;
      const deep = await client.gql(
        `{ customer(pageId: "111", id: "${randomUUID()}") { notes { createdBy { uid } } ${nested} } }`,
      );
      expect(deep.status).toBe(400);
      expect(onlyError(deep.body)).toEqual({
        message: 'Query depth limit of 8 exceeded, found 12.',
        extensions: {
          code: 'BAD_USER_INPUT',
          details: {
            violations: [{ field: 'query', rule: 'Query depth limit of 8 exceeded, found 12.' }],
          },
        },
      });
      const long = await client.gql(`{ ${'__typename '.repeat(2100)} }`);
      expect(long.status).toBe(400);
      expect(onlyError(long.body)).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
      // graphql-js's own wording ("more that") may be fixed one day.
      expect(onlyError(long.body).message).toMatch(/more th(?:at|an) 2000 tokens/);
    });
  });

  describe('HTTP surface', () => {
    it('blocks requests a browser could send cross-site (CSRF prevention)', async () => {
      const get = await request(gateway.url)
        .get('/graphql')
        .query({ query: '{ __typename }' })
        .set('Authorization', bearer());
      expect(get.status).toBe(400);
      expect(get.text).toContain('CSRF');
      const textPlain = await request(gateway.url)
        .post('/graphql')
        .set('Authorization', bearer())
        .set('Content-Type', 'text/plain')
        .send(JSON.stringify({ query: '{ __typename }' }));
      // A simple (non-preflighted) text/plain POST never reaches GraphQL: JSON is the only body.
      expect(textPlain.status).toBe(415);
      const preflighted = await request(gateway.url)
        .get('/graphql')
        .query({ query: '{ __typename }' })
        .set('Authorization', bearer())
        .set('Apollo-Require-Preflight', 'true');
      expect(preflighted.status).toBe(200);
      expect(preflighted.body).toEqual({ data: { __typename: 'Query' } });
    });

    it('sends a browser opening /graphql to the local IDE outside production (no CDN)', async () => {
      const page = await request(gateway.url).get('/graphql').set('Accept', 'text/html');
      expect(page.status).toBe(200);
      expect(page.text).toContain('<meta http-equiv="refresh" content="0; url=/graphiql/">');
      expect(page.text).not.toMatch(/https?:\/\//);
    });

    it('allows introspection outside production', async () => {
      const { body } = await client.gql(
        '{ __schema { queryType { name } mutationType { name } } }',
      );
      expect(body.data).toEqual({
        __schema: { queryType: { name: 'Query' }, mutationType: { name: 'Mutation' } },
      });
    });

    it('records operation latency by root field and outcome', async () => {
      await client.gql(countQuery('111'));
      await client.gql(countQuery('999'));
      const text = await gateway.app.get(GatewayMetrics).render();
      const count = (labels: string) =>
        new RegExp(`gateway_graphql_operation_duration_seconds_count\\{${labels}\\} [1-9]`);
      expect(text).toMatch(count('operation="query customers",outcome="ok"'));
      expect(text).toMatch(count('operation="query customers",outcome="NOT_FOUND"'));
      expect(text).toMatch(count('operation="invalid",outcome="BAD_USER_INPUT"'));
    });

    it('serves the schema committed in schema.gql', () => {
      const committed = readFileSync(join(process.cwd(), 'schema.gql'), 'utf8');
      expect(schemaSdl(gateway.app.get(GraphQLSchemaHost).schema)).toBe(committed);
    });
  });
});
