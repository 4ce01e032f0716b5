/**
 * Property-based fuzzing of the public interface, end to end: malformed bodies, odd unicode,
 * huge strings, wrong types and path tricks at every REST route and every GraphQL argument.
 *
 * For every generated (always invalid) input the gateway must answer a 4xx in the contract's
 * error shape (`{"error":{"code","message","details"?}}` on REST, `errors[].extensions.code` on
 * GraphQL), never a 5xx, and must not send a single request upstream: the simulator's request
 * log stays empty.
 *
 * Run counts: FUZZ_RUNS (default 50) per property; FUZZ_SEED replays a run (fast-check prints
 * the seed and the shrunk counterexample of any failure).
 *
 * The tests at the end guard against bugs this fuzzing once found (their "Before:" comments say
 * what the gateway answered then); the main properties keep clear of those input classes (see
 * the constants in support/fuzz-arbitraries.ts) so that each one fails exactly one test.
 */
import fc from 'fast-check';
import request from 'supertest';
import type { Simulator } from '../tools/pancake-sim/index.js';
import { ALL_TIME, bearer, startStack, TEST_KEYS, type TestGateway } from './support/gateway.js';
import {
  anyCustomerBody,
  anyNoteBody,
  anyPhoneNumbersBody,
  badCustomerBody,
  badCustomerId,
  badIdempotencyKey,
  badListQuery,
  badNoteBody,
  badNoteId,
  badPageId,
  badPhoneNumbersBody,
  type Body,
  caseIsRefused,
  type FaultTag,
  graphqlCase,
  graphqlOperations,
  malformedDigitsId,
  MAX_ENCODED_SEGMENT,
  percentEncode,
  queryString,
  renderGraphqlCase,
  type GraphqlCase,
  type QueryPair,
  type Segment,
} from './support/fuzz-arbitraries.js';

const NUM_RUNS = Number(process.env.FUZZ_RUNS ?? 50);
const SEED = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);
const fuzzOptions = (numRuns = NUM_RUNS): { numRuns: number; seed?: number } => ({
  numRuns,
  ...(SEED === undefined ? {} : { seed: SEED }),
});

/** Codes an invalid request may be refused with: the contract's client-side codes. */
const REFUSAL_CODES = ['BAD_USER_INPUT', 'NOT_FOUND', 'PAYLOAD_TOO_LARGE'];
/** 4xx statuses that fit a refused request (401/403/409/429 would not, with the admin key). */
const REFUSAL_STATUSES = [400, 404, 405, 413, 414, 415, 422, 431];
/** The code each status carries where the gateway documents one (error-code.ts, rest-error.ts). */
const CODE_BY_STATUS: Record<number, string> = {
  400: 'BAD_USER_INPUT',
  404: 'NOT_FOUND',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'BAD_USER_INPUT',
};
const SECRETS = ['sim-token', ...Object.values(TEST_KEYS)];
const STACK_TRACE = /\n\s*at |\(\/?[\w./-]+\.(?:ts|js|mjs|cjs):\d+:\d+\)/;

type Method = 'get' | 'post' | 'patch' | 'delete' | 'put';

interface Plan {
  method: Method;
  path: string;
  body?: Body;
  headers?: Record<string, string>;
}

interface RestErrorBody {
  error: { code: string; message: string; details?: unknown };
}

interface GqlBody {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: { code?: string; stacktrace?: unknown } }[];
  error?: unknown;
}

/** A path segment: valid (`ok`) or refused. */
type Seg = { encoded: string; tag: FaultTag | 'ok' };
const ok = (encoded: string): Seg => ({ encoded, tag: 'ok' });

/** Any of the segments: each either its valid value or a refused one, at least one refused. */
function faultyPath(parts: { valid: fc.Arbitrary<Seg>; bad: fc.Arbitrary<Segment> }[]) {
  return fc
    .tuple(...parts.map((p) => fc.oneof<fc.Arbitrary<Seg>[]>(p.valid, p.bad)))
    .filter((segments) => segments.some((s) => s.tag !== 'ok'))
    .map((segments) => segments.map((s) => s.encoded));
}

describe('fuzzing the REST mirror and GraphQL with invalid input (e2e)', () => {
  let sim: Simulator;
  let gateway: TestGateway;
  let close: () => Promise<void>;
  let customerIds: string[];
  /** A listed customer that has notes, and those note ids. */
  let withNotes: { id: string; noteIds: string[] };

  const validPage = fc.constant(ok('111'));
  const knownCustomer = () => fc.constantFrom(...customerIds).map(ok);
  const validNote = () => fc.constantFrom(...withNotes.noteIds, 'fuzzNote_1', 'A-b_9').map(ok);

  function send(plan: Plan): Promise<request.Response> {
    let test = request(gateway.url)
      [plan.method](plan.path)
      .redirects(0)
      .set('Authorization', bearer(TEST_KEYS.admin));
    for (const [name, value] of Object.entries(plan.headers ?? {})) test = test.set(name, value);
    if (!plan.body) return test;
    if (plan.body.kind === 'json') {
      return test.set('Content-Type', 'application/json').send(JSON.stringify(plan.body.value));
    }
    return test.set('Content-Type', plan.body.contentType).send(plan.body.text);
  }

  const describePlan = (plan: Plan, response: request.Response): string =>
    `${plan.method.toUpperCase()} ${plan.path.slice(0, 300)}${plan.path.length > 300 ? '…' : ''}` +
    ` -> ${response.status} ${response.text.slice(0, 400)}`;

  /** The contract's REST error: a refusal status, `{error:{code,message,details?}}`, nothing leaked. */
  function expectRestRefusal(response: request.Response, statuses = REFUSAL_STATUSES): void {
    expect(statuses).toContain(response.status);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    const body = response.body as RestErrorBody;
    expect(Object.keys(body)).toEqual(['error']);
    expect(typeof body.error).toBe('object');
    for (const key of Object.keys(body.error))
      expect(['code', 'message', 'details']).toContain(key);
    expect(REFUSAL_CODES).toContain(body.error.code);
    const expectedCode = CODE_BY_STATUS[response.status];
    if (expectedCode) expect(body.error.code).toBe(expectedCode);
    expect(typeof body.error.message).toBe('string');
    expect(body.error.message.trim()).not.toBe('');
    expect(body.error.message).not.toMatch(STACK_TRACE);
    for (const secret of SECRETS) expect(response.text).not.toContain(secret);
  }

  /** Sends one refused request: contract refusal, and nothing sent upstream. */
  async function expectRefused(plan: Plan, statuses = REFUSAL_STATUSES): Promise<void> {
    const before = sim.requestLog().length;
    const response = await send(plan);
    const upstream = sim.requestLog().slice(before);
    try {
      expectRestRefusal(response, statuses);
      expect(upstream).toEqual([]);
    } catch (error) {
      throw new Error(`${describePlan(plan, response)}\n${(error as Error).message}`, {
        cause: error,
      });
    }
  }

  async function gql(query: string, variables: Record<string, unknown>) {
    return request(gateway.url)
      .post('/graphql')
      .set('Authorization', bearer(TEST_KEYS.admin))
      .send({ query, variables });
  }

  /**
   * A refused GraphQL operation: status < 500, every error with an allowed code and a clean
   * message, no data for the field. Errors raised before GraphQL runs (unparsable JSON, body too
   * large) come in the REST error shape, which is accepted here with its 4xx.
   */
  function expectGraphqlRefusal(
    response: request.Response,
    field: string,
    allowedCodes: string[],
  ): void {
    expect(response.status).toBeLessThan(500);
    const body = response.body as GqlBody;
    if (body.errors === undefined && body.error !== undefined) {
      expectRestRefusal(response, [400, 413, 415]);
      return;
    }
    expect(Array.isArray(body.errors)).toBe(true);
    expect(body.errors!.length).toBeGreaterThan(0);
    for (const error of body.errors!) {
      expect(allowedCodes).toContain(error.extensions?.code);
      expect(typeof error.message).toBe('string');
      expect(error.message.trim()).not.toBe('');
      expect(error.message).not.toMatch(STACK_TRACE);
      expect(error.extensions?.stacktrace).toBeUndefined();
    }
    for (const secret of SECRETS) expect(response.text).not.toContain(secret);
    expect(body.data?.[field] ?? null).toBeNull();
  }

  beforeAll(async () => {
    ({ sim, gateway, close } = await startStack({ customers: 30 }));
    // List once through the gateway so its index knows real ids: a valid id in a path then
    // reaches the body validation.
    const listed = await request(gateway.url)
      .get(
        `/v1/pages/111/customers?since=${encodeURIComponent(ALL_TIME.since)}&until=${encodeURIComponent(ALL_TIME.until)}`,
      )
      .set('Authorization', bearer(TEST_KEYS.admin));
    expect(listed.status).toBe(200);
    const nodes = (listed.body as { nodes: { id: string; notes: { id: string }[] }[] }).nodes;
    customerIds = nodes.map((c) => c.id);
    expect(customerIds).toHaveLength(30);
    const noted = nodes.find((c) => c.notes.length > 0)!;
    withNotes = { id: noted.id, noteIds: noted.notes.map((n) => n.id) };
    sim.clearLog();
  });
  afterAll(() => close?.());

  describe('properties: every invalid input is refused in the contract shape, before any upstream call', () => {
    afterEach(() => {
      expect(sim.requestLog()).toEqual([]);
    });

    it('GET /v1/pages/:pageId/customers: bad queries (since > until, bad ISO, ranges, orderBy, unknown params) and bad page ids', async () => {
      const validQuery: QueryPair[] = [
        ['since', ALL_TIME.since],
        ['until', ALL_TIME.until],
      ];
      const plan = fc.oneof(
        fc
          .tuple(badPageId, fc.oneof(fc.constant(validQuery), badListQuery))
          .map(([page, query]) => ({ page: page.encoded, query })),
        badListQuery.map((query) => ({ page: '111', query })),
      );
      await fc.assert(
        fc.asyncProperty(plan, ({ page, query }) =>
          expectRefused({
            method: 'get',
            path: `/v1/pages/${page}/customers?${queryString(query)}`,
          }),
        ),
        fuzzOptions(),
      );
    });

    it('GET /v1/pages/:pageId/customers/:id: bad or unknown page and customer ids, path tricks', async () => {
      const plan = faultyPath([
        { valid: validPage, bad: badPageId },
        { valid: knownCustomer(), bad: badCustomerId },
      ]);
      await fc.assert(
        fc.asyncProperty(plan, ([page, id]) =>
          expectRefused({ method: 'get', path: `/v1/pages/${page}/customers/${id}` }),
        ),
        fuzzOptions(),
      );
    });

    it('PATCH /v1/pages/:pageId/customers/:id: bad changes (unknown keys, wrong types, bad phones, impossible birthdays, bad names) and bad paths', async () => {
      const plan = fc.oneof(
        fc
          .tuple(knownCustomer(), badCustomerBody)
          .map(([id, body]) => ({ path: ['111', id.encoded], body })),
        fc
          .tuple(
            faultyPath([
              { valid: validPage, bad: badPageId },
              { valid: knownCustomer(), bad: badCustomerId },
            ]),
            anyCustomerBody,
          )
          .map(([path, body]) => ({ path, body })),
      );
      await fc.assert(
        fc.asyncProperty(plan, ({ path: [page, id], body }) =>
          expectRefused({ method: 'patch', path: `/v1/pages/${page}/customers/${id}`, body }),
        ),
        fuzzOptions(),
      );
    });

    it('POST /v1/pages/:pageId/customers/:id/phone-numbers: bad phone lists, bodies and paths', async () => {
      const plan = fc.oneof(
        fc
          .tuple(knownCustomer(), badPhoneNumbersBody)
          .map(([id, body]) => ({ path: ['111', id.encoded], body })),
        fc
          .tuple(
            faultyPath([
              { valid: validPage, bad: badPageId },
              { valid: knownCustomer(), bad: badCustomerId },
            ]),
            anyPhoneNumbersBody,
          )
          .map(([path, body]) => ({ path, body })),
      );
      await fc.assert(
        fc.asyncProperty(plan, ({ path: [page, id], body }) =>
          expectRefused({
            method: 'post',
            path: `/v1/pages/${page}/customers/${id}/phone-numbers`,
            body,
          }),
        ),
        fuzzOptions(),
      );
    });

    it('POST /v1/pages/:pageId/customers/:id/notes: bad messages, bodies, paths and Idempotency-Keys', async () => {
      const optionalKey = fc.option(fc.oneof(fc.uuid(), badIdempotencyKey), { nil: undefined });
      const plan = fc.oneof(
        fc
          .tuple(knownCustomer(), badNoteBody, optionalKey)
          .map(([id, body, key]) => ({ path: ['111', id.encoded], body, key })),
        fc
          .tuple(
            faultyPath([
              { valid: validPage, bad: badPageId },
              { valid: knownCustomer(), bad: badCustomerId },
            ]),
            anyNoteBody,
            optionalKey,
          )
          .map(([path, body, key]) => ({ path, body, key })),
        // A valid note that only its Idempotency-Key makes invalid.
        fc.tuple(knownCustomer(), badIdempotencyKey).map(([id, key]) => ({
          path: ['111', id.encoded],
          body: { kind: 'json', value: { message: 'Fuzz note' } } as Body,
          key,
        })),
      );
      await fc.assert(
        fc.asyncProperty(plan, ({ path: [page, id], body, key }) =>
          expectRefused({
            method: 'post',
            path: `/v1/pages/${page}/customers/${id}/notes`,
            body,
            headers: key === undefined ? {} : { 'Idempotency-Key': key },
          }),
        ),
        fuzzOptions(),
      );
    });

    it('PATCH /v1/pages/:pageId/customers/:id/notes/:noteId: bad messages, bodies and paths', async () => {
      const plan = fc.oneof(
        fc
          .tuple(validNote(), badNoteBody)
          .map(([note, body]) => ({ path: ['111', withNotes.id, note.encoded], body })),
        fc
          .tuple(
            faultyPath([
              { valid: validPage, bad: badPageId },
              { valid: knownCustomer(), bad: badCustomerId },
              { valid: validNote(), bad: badNoteId },
            ]),
            anyNoteBody,
          )
          .map(([path, body]) => ({ path, body })),
      );
      await fc.assert(
        fc.asyncProperty(plan, ({ path: [page, id, note], body }) =>
          expectRefused({
            method: 'patch',
            path: `/v1/pages/${page}/customers/${id}/notes/${note}`,
            body,
          }),
        ),
        fuzzOptions(),
      );
    });

    it('DELETE /v1/pages/:pageId/customers/:id/notes/:noteId: bad or unknown page, customer and note ids', async () => {
      const plan = faultyPath([
        { valid: validPage, bad: badPageId },
        { valid: knownCustomer(), bad: badCustomerId },
        { valid: validNote(), bad: badNoteId },
      ]);
      await fc.assert(
        fc.asyncProperty(plan, ([page, id, note]) =>
          expectRefused({
            method: 'delete',
            path: `/v1/pages/${page}/customers/${id}/notes/${note}`,
          }),
        ),
        fuzzOptions(),
      );
    });

    it('GET /v1/pages/:pageId/avatars/:psid: bad page ids and psids (never a redirect)', async () => {
      const plan = faultyPath([
        { valid: validPage, bad: malformedDigitsId },
        { valid: fc.constant(ok('1234567890')), bad: malformedDigitsId },
      ]);
      await fc.assert(
        fc.asyncProperty(plan, ([page, psid]) =>
          expectRefused({ method: 'get', path: `/v1/pages/${page}/avatars/${psid}` }),
        ),
        fuzzOptions(),
      );
    });

    describe('GraphQL: wrong types, odd unicode, huge strings, bad DateTimes, out-of-range ints, bad enums and bad content, as variables and as inline literals', () => {
      const operations = [
        'customers',
        'customer',
        'updateCustomer',
        'addCustomerPhoneNumbers',
        'createNote',
        'updateNote',
        'deleteNote',
      ];

      it.each(operations)('%s', async (field) => {
        const op = graphqlOperations({ customerIds, noteIds: withNotes.noteIds }).find(
          (o) => o.field === field,
        )!;
        // updateNote/deleteNote need the customer that owns the notes when the ids are valid.
        if (field === 'updateNote' || field === 'deleteNote') {
          op.args[1] = { ...op.args[1], valid: fc.constant(withNotes.id) };
        }
        await fc.assert(
          fc.asyncProperty(graphqlCase(op), async (c: GraphqlCase) => {
            expect(caseIsRefused(c)).toBe(true);
            const { query, variables } = renderGraphqlCase(c);
            const before = sim.requestLog().length;
            const response = await gql(query, variables);
            const upstream = sim.requestLog().slice(before);
            const tags = c.args.map((a) => a.tag);
            const allowed = tags.includes('unknown')
              ? ['BAD_USER_INPUT', 'NOT_FOUND']
              : ['BAD_USER_INPUT'];
            try {
              expectGraphqlRefusal(response, field, allowed);
              expect(upstream).toEqual([]);
            } catch (error) {
              throw new Error(
                `${query.slice(0, 600)}\nvariables ${JSON.stringify(variables).slice(0, 600)}\n` +
                  `-> ${response.status} ${response.text.slice(0, 600)}\n${(error as Error).message}`,
                { cause: error },
              );
            }
          }),
          fuzzOptions(),
        );
      });
    });
  });

  describe('classic inputs', () => {
    afterEach(() => {
      expect(sim.requestLog()).toEqual([]);
    });

    const json = (value: unknown): Body => ({ kind: 'json', value });
    const rawJson = (text: string): Body => ({
      kind: 'raw',
      text,
      contentType: 'application/json',
    });
    const customerPath = () => `/v1/pages/111/customers/${customerIds[0]}`;
    const notePath = () => `/v1/pages/111/customers/${withNotes.id}/notes/${withNotes.noteIds[0]}`;

    it('refuses prototype-pollution payloads on every body, and pollutes nothing', async () => {
      const payloads = [
        '{"__proto__":{"polluted":1}}',
        '{"name":"An","__proto__":{"polluted":1}}',
        '{"constructor":{"prototype":{"polluted":1}}}',
        '{"message":"hi","__proto__":{"isAdmin":true}}',
        '{"phoneNumbers":["0901234567"],"__proto__":{"polluted":1}}',
      ];
      const routes: [Method, string][] = [
        ['patch', customerPath()],
        ['post', `${customerPath()}/phone-numbers`],
        ['post', `${customerPath()}/notes`],
        ['patch', notePath()],
      ];
      for (const [method, path] of routes) {
        for (const text of payloads) await expectRefused({ method, path, body: rawJson(text) });
      }
      const query = `since=${encodeURIComponent(ALL_TIME.since)}&until=${encodeURIComponent(ALL_TIME.until)}`;
      await expectRefused({
        method: 'get',
        path: `/v1/pages/111/customers?${query}&__proto__[polluted]=1`,
      });
      await expectRefused({
        method: 'get',
        path: `/v1/pages/111/customers?${query}&constructor[prototype][polluted]=1`,
      });
      const graphqlPayload =
        '{"query":"mutation($c: CustomerChangesInput!){updateCustomer(pageId:\\"111\\",id:\\"' +
        customerIds[0] +
        '\\",changes:$c){id}}","variables":{"c":{"__proto__":{"polluted":1},"name":"An"}}}';
      const response = await request(gateway.url)
        .post('/graphql')
        .set('Authorization', bearer(TEST_KEYS.admin))
        .set('Content-Type', 'application/json')
        .send(graphqlPayload);
      expectGraphqlRefusal(response, 'updateCustomer', ['BAD_USER_INPUT']);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
      expect(Object.prototype).not.toHaveProperty('polluted');
    });

    it('answers 413 PAYLOAD_TOO_LARGE to a 1 MB string, on REST and GraphQL', async () => {
      const huge = 'x'.repeat(1024 * 1024);
      await expectRefused(
        { method: 'patch', path: customerPath(), body: json({ name: huge }) },
        [413],
      );
      await expectRefused(
        { method: 'post', path: `${customerPath()}/notes`, body: json({ message: huge }) },
        [413],
      );
      await expectRefused(
        {
          method: 'post',
          path: `${customerPath()}/phone-numbers`,
          body: json({ phoneNumbers: [huge] }),
        },
        [413],
      );
      await expectRefused(
        { method: 'patch', path: notePath(), body: json({ message: huge }) },
        [413],
      );
      const response = await gql(
        'mutation($m: String!, $id: ID!) { createNote(pageId: "111", customerId: $id, message: $m) { id } }',
        { m: huge, id: customerIds[0] },
      );
      expect(response.status).toBe(413);
      expectGraphqlRefusal(response, 'createNote', ['PAYLOAD_TOO_LARGE']);
    });

    it('refuses NUL, RTL override, emoji and lone surrogates where they do not belong', async () => {
      const cases: Plan[] = [
        { method: 'patch', path: customerPath(), body: json({ name: 'An\u0000Bình' }) },
        {
          method: 'post',
          path: `${customerPath()}/notes`,
          body: json({ message: 'hi\u0000there' }),
        },
        { method: 'patch', path: notePath(), body: json({ message: '\u0000' }) },
        { method: 'get', path: '/v1/pages/111/customers/%00' },
        { method: 'get', path: `/v1/pages/111/customers/${customerIds[0]}%00` },
        { method: 'delete', path: `/v1/pages/111/customers/${withNotes.id}/notes/a%00b` },
        { method: 'get', path: '/v1/pages/111/avatars/123%00' },
        // U+202E RIGHT-TO-LEFT OVERRIDE
        {
          method: 'get',
          path: `/v1/pages/111/customers/${percentEncode('\u202e')}${customerIds[0]}`,
        },
        { method: 'patch', path: customerPath(), body: json({ birthday: '1990-05-1\u202e2' }) },
        { method: 'patch', path: customerPath(), body: json({ gender: '\u202emale' }) },
        {
          method: 'post',
          path: `${customerPath()}/phone-numbers`,
          body: json({ phoneNumbers: ['\u202e0901234567'] }),
        },
        {
          method: 'get',
          path: `/v1/pages/111/customers?since=${encodeURIComponent(ALL_TIME.since)}&until=${encodeURIComponent(ALL_TIME.until)}&orderBy=${percentEncode('inserted_at\u202e')}`,
        },
        // Emoji and astral characters
        { method: 'get', path: `/v1/pages/${percentEncode('😀')}/customers/${customerIds[0]}` },
        {
          method: 'delete',
          path: `/v1/pages/111/customers/${withNotes.id}/notes/${percentEncode('👨‍👩‍👧')}`,
        },
        { method: 'get', path: `/v1/pages/111/avatars/${percentEncode('𝟙𝟚𝟛')}` },
        { method: 'patch', path: customerPath(), body: json({ name: '😀'.repeat(201) }) },
        {
          method: 'post',
          path: `${customerPath()}/notes`,
          body: json({ message: '😀'.repeat(5001) }),
        },
        {
          method: 'post',
          path: `${customerPath()}/phone-numbers`,
          body: json({ phoneNumbers: ['📞0901234567'] }),
        },
        // Lone surrogates, written as JSON escapes
        { method: 'patch', path: customerPath(), body: rawJson('{"name":"An \\ud800"}') },
        { method: 'patch', path: customerPath(), body: rawJson('{"name":"\\udfff"}') },
        { method: 'post', path: `${customerPath()}/notes`, body: rawJson('{"message":"\\uD800"}') },
        { method: 'patch', path: notePath(), body: rawJson('{"message":"a\\uDC00b"}') },
        {
          method: 'post',
          path: `${customerPath()}/phone-numbers`,
          body: rawJson('{"phoneNumbers":["\\uD800"]}'),
        },
      ];
      for (const plan of cases) await expectRefused(plan);

      const createNote = `mutation($m: String!) { createNote(pageId: "111", customerId: "${customerIds[0]}", message: $m) { id } }`;
      for (const m of ['a\u0000b', '\ud800', 'x\udfffy', '😀'.repeat(5001)]) {
        expectGraphqlRefusal(await gql(createNote, { m }), 'createNote', ['BAD_USER_INPUT']);
      }
      const rawSurrogate = await request(gateway.url)
        .post('/graphql')
        .set('Authorization', bearer(TEST_KEYS.admin))
        .set('Content-Type', 'application/json')
        .send(JSON.stringify({ query: createNote }).replace(/}$/, ',"variables":{"m":"\\uD800"}}'));
      expectGraphqlRefusal(rawSurrogate, 'createNote', ['BAD_USER_INPUT']);
      for (const pageId of ['\u202e111', '😀', '111\u0000']) {
        expectGraphqlRefusal(
          await gql(
            'query($p: ID!) { customers(pageId: $p, since: "2024-01-01T00:00:00Z", until: "2024-02-01T00:00:00Z") { total } }',
            {
              p: pageId,
            },
          ),
          'customers',
          ['BAD_USER_INPUT'],
        );
      }
    });

    it('refuses ../../etc/passwd and friends in every id', async () => {
      const id = customerIds[0];
      const paths: [Method, string][] = [
        ['get', '/v1/pages/111/customers/../../etc/passwd'],
        ['get', '/v1/pages/111/customers/..%2F..%2Fetc%2Fpasswd'],
        ['get', '/v1/pages/../../etc/passwd/customers'],
        ['get', `/v1/pages/..%2F..%2Fetc%2Fpasswd/customers/${id}`],
        ['patch', '/v1/pages/111/customers/..%2F..%2Fetc%2Fpasswd'],
        ['post', `/v1/pages/111/customers/${id}%2F..%2F..%2Fetc%2Fpasswd/notes`],
        ['patch', `/v1/pages/111/customers/${id}/notes/..%2F..%2Fetc%2Fpasswd`],
        ['delete', `/v1/pages/111/customers/${id}/notes/../../etc/passwd`],
        ['delete', `/v1/pages/111/customers/${id}/notes/..`],
        ['get', '/v1/pages/111/avatars/../../etc/passwd'],
        ['get', '/v1/pages/111/avatars/..%2F..%2Fetc%2Fpasswd'],
        ['get', '/v1/pages/111/avatars/..%5C..%5Cetc%5Cpasswd'],
      ];
      for (const [method, path] of paths) {
        await expectRefused({
          method,
          path,
          ...(method === 'patch' || method === 'post' ? { body: json({ message: 'hi' }) } : {}),
        });
      }
      const deleteNote = `mutation($n: ID!) { deleteNote(pageId: "111", customerId: "${id}", noteId: $n) }`;
      for (const n of ['../../etc/passwd', '..%2F..%2Fetc%2Fpasswd', '..']) {
        expectGraphqlRefusal(await gql(deleteNote, { n }), 'deleteNote', ['BAD_USER_INPUT']);
      }
      const byId = 'query($id: ID!) { customer(pageId: "111", id: $id) { id } }';
      expectGraphqlRefusal(await gql(byId, { id: '../../etc/passwd' }), 'customer', [
        'BAD_USER_INPUT',
      ]);
    });

    it('answers a method a route does not have with a contract 404/405', async () => {
      const id = customerIds[0];
      const plans: Plan[] = [
        { method: 'put', path: `/v1/pages/111/customers/${id}`, body: json({ name: 'An' }) },
        { method: 'delete', path: `/v1/pages/111/customers/${id}` },
        { method: 'post', path: `/v1/pages/111/customers/${id}`, body: json({ name: 'An' }) },
        { method: 'get', path: `/v1/pages/111/customers/${id}/notes` },
        { method: 'put', path: notePath(), body: json({ message: 'hi' }) },
        { method: 'delete', path: `/v1/pages/111/avatars/123` },
      ];
      for (const plan of plans) await expectRefused(plan, [404, 405]);
    });
  });

  describe('inputs fuzzing once caught the gateway mishandling (regression guards)', () => {
    afterEach(() => sim.clearLog());

    const WINDOW = `since=${encodeURIComponent(ALL_TIME.since)}&until=${encodeURIComponent(ALL_TIME.until)}`;

    /** Sends each plan and lists those the gateway does not refuse properly. */
    async function mishandled(plans: Plan[], statuses = REFUSAL_STATUSES): Promise<string[]> {
      const failures: string[] = [];
      for (const plan of plans) {
        try {
          await expectRefused(plan, statuses);
        } catch (error) {
          failures.push((error as Error).message.split('\n')[0]);
        }
        sim.clearLog();
      }
      return failures;
    }

    it('refuses a deeply nested JSON body (a few thousand levels, a few KB) with 400, not a 500', async () => {
      // class-transformer (ValidationPipe transform: true) recurses once per level and overflows
      // the stack: "RangeError: Maximum call stack size exceeded" in TransformOperationExecutor.
      const routes = () =>
        fc.constantFrom(
          {
            method: 'patch' as const,
            path: `/v1/pages/111/customers/${customerIds[0]}`,
            field: 'name',
          },
          {
            method: 'post' as const,
            path: `/v1/pages/111/customers/${customerIds[0]}/notes`,
            field: 'message',
          },
          {
            method: 'post' as const,
            path: `/v1/pages/111/customers/${customerIds[0]}/phone-numbers`,
            field: 'phoneNumbers',
          },
          { method: 'patch' as const, path: notePathOf(), field: 'message' },
        );
      const notePathOf = () =>
        `/v1/pages/111/customers/${withNotes.id}/notes/${withNotes.noteIds[0]}`;
      const plan = fc.record({
        route: routes(),
        depth: fc.integer({ min: 5_000, max: 20_000 }),
        kind: fc.constantFrom('array' as const, 'object' as const),
      });
      await fc.assert(
        fc.asyncProperty(plan, async ({ route, depth, kind }) => {
          // Written as text (JSON.stringify would recurse as deep); an object level is 6 bytes:
          // stay under the 64 KiB body limit.
          const levels = kind === 'object' ? Math.min(depth, 9_000) : depth;
          const [opening, closing] = kind === 'object' ? ['{"a":', '}'] : ['[', ']'];
          const text = `{"${route.field}":${opening.repeat(levels)}1${closing.repeat(levels)}}`;
          await expectRefused({
            method: route.method,
            path: route.path,
            body: { kind: 'raw', text, contentType: 'application/json' },
          });
        }),
        fuzzOptions(10),
      );
    });

    it('refuses unknown keys named like Object.prototype members (constructor, toString, …) or `prototype`, sending nothing upstream', async () => {
      // `{"foo":1,"name":"An"}` is refused ("foo: is not an accepted field"); these are not.
      const keys = ['constructor', 'toString', 'hasOwnProperty', '__defineGetter__', 'prototype'];
      const id = customerIds[1];
      const plans: Plan[] = [
        ...keys.slice(0, 3).map((key): Plan => ({
          method: 'patch',
          path: `/v1/pages/111/customers/${id}`,
          body: {
            kind: 'raw',
            text: `{"${key}":"x","name":"Fuzz Bug"}`,
            contentType: 'application/json',
          },
        })),
        ...['toString', 'prototype'].map((key): Plan => ({
          method: 'post',
          path: `/v1/pages/111/customers/${id}/notes`,
          body: {
            kind: 'raw',
            text: `{"${key}":1,"message":"Fuzz bug"}`,
            contentType: 'application/json',
          },
        })),
        ...keys.map((key): Plan => ({
          method: 'get',
          path: `/v1/pages/111/customers?${WINDOW}&${key}=1`,
        })),
        { method: 'get', path: `/v1/pages/111/customers?${WINDOW}&__proto__=1` },
      ];
      expect(await mishandled(plans)).toEqual([]);
    });

    it('refuses application/x-www-form-urlencoded bodies on the JSON routes with 415', async () => {
      const id = customerIds[2];
      const form = (text: string): Body => ({
        kind: 'raw',
        text,
        contentType: 'application/x-www-form-urlencoded',
      });
      const plans: Plan[] = [
        { method: 'patch', path: `/v1/pages/111/customers/${id}`, body: form('name=Fuzz+Form') },
        {
          method: 'post',
          path: `/v1/pages/111/customers/${id}/notes`,
          body: form('message=Fuzz+form'),
        },
        {
          method: 'patch',
          path: `/v1/pages/111/customers/${withNotes.id}/notes/${withNotes.noteIds[0]}`,
          body: form('message=Fuzz+form'),
        },
      ];
      expect(await mishandled(plans, [415])).toEqual([]);
    });

    it('answers malformed percent-encoding in the path in the contract shape', async () => {
      // Before: 400 {"statusCode":400,"code":"FST_ERR_BAD_URL","error":"Bad Request","message":"'/v1/...' is not a valid url component"}
      const broken = fc.constantFrom(
        '%',
        '%E0%A4%A',
        '%C0%AE',
        '%C3%28',
        '%FF',
        '%ED%A0%80',
        '%ZZ',
        '%1',
        'a%',
      );
      const plan = fc.record({
        broken,
        route: fc.constantFrom(
          (s: string) => ({ method: 'get' as const, path: `/v1/pages/111/customers/${s}` }),
          (s: string) => ({ method: 'get' as const, path: `/v1/pages/${s}/customers?${WINDOW}` }),
          (s: string) => ({
            method: 'delete' as const,
            path: `/v1/pages/111/customers/${customerIds[0]}/notes/${s}`,
          }),
          (s: string) => ({ method: 'get' as const, path: `/v1/pages/111/avatars/${s}` }),
        ),
      });
      await fc.assert(
        fc.asyncProperty(plan, ({ broken: s, route }) => expectRefused(route(s))),
        fuzzOptions(15),
      );
    });

    it(`answers a path parameter longer than ${MAX_ENCODED_SEGMENT} characters in the contract shape`, async () => {
      // Before: 414 {"statusCode":414,"code":"FST_ERR_MAX_PARAM_LENGTH","error":"URI Too Long","message":"'/v1/...' ..."}
      const plan = fc.record({
        length: fc.integer({ min: MAX_ENCODED_SEGMENT + 1, max: 4_000 }),
        char: fc.constantFrom('a', '1', '%C3%A9', '%F0%9F%98%80'),
        route: fc.constantFrom(
          (s: string) => ({ method: 'get' as const, path: `/v1/pages/111/customers/${s}` }),
          (s: string) => ({ method: 'get' as const, path: `/v1/pages/${s}/customers?${WINDOW}` }),
          (s: string) => ({
            method: 'delete' as const,
            path: `/v1/pages/111/customers/${customerIds[0]}/notes/${s}`,
          }),
          (s: string) => ({ method: 'get' as const, path: `/v1/pages/111/avatars/${s}` }),
        ),
      });
      await fc.assert(
        fc.asyncProperty(plan, ({ length, char, route }) =>
          expectRefused(route(char.repeat(Math.ceil(length / char.length)))),
        ),
        fuzzOptions(15),
      );
    });

    it('answers a request line over the 16 KB header limit in the contract shape', async () => {
      // Before: 431 {"error":"Request Header Fields Too Large","message":"Exceeded maximum allowed HTTP header size","statusCode":431}
      const plans: Plan[] = [
        { method: 'get', path: `/v1/pages/111/customers?${WINDOW}&x=${'a'.repeat(20_000)}` },
        {
          method: 'post',
          path: `/v1/pages/111/customers/${customerIds[0]}/notes`,
          body: { kind: 'json', value: { message: 'Fuzz' } },
          headers: { 'Idempotency-Key': 'k'.repeat(20_000) },
        },
      ];
      expect(await mishandled(plans)).toEqual([]);
    });

    it('refuses non-decimal spellings of pageNumber/pageSize (0x10, 1e1, 0b11, " 5 ")', async () => {
      // `@Type(() => Number)` reads them with Number(): `pageSize=0x10` lists 16 customers.
      const plans = ['0x10', '1e1', '0b11', '0o7', '%205%20'].map((value): Plan => ({
        method: 'get',
        path: `/v1/pages/111/customers?${WINDOW}&pageSize=${value}`,
      }));
      expect(await mishandled(plans)).toEqual([]);
    });
  });
});
