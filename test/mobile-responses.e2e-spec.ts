/**
 * Mobile-grade answers end to end: compression negotiated by Accept-Encoding (on a miss and on
 * a replay), ETag / If-None-Match revalidation for both transports, Cache-Control and Vary.
 * Bytes are read as they cross the wire (undici does not decode them).
 */
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { request as httpRequest } from 'undici';
import type { Simulator } from '../tools/pancake-sim/index.js';
import { ALL_TIME, bearer, startStack, type TestGateway } from './support/gateway.js';
import { countQuery, LIST } from './support/graphql-client.js';

interface WireAnswer {
  status: number;
  headers: Record<string, string | undefined>;
  /** The body as sent (still encoded). */
  raw: Buffer;
  /** The body decoded per Content-Encoding, as text. */
  text: string;
}

const WINDOW = `since=${encodeURIComponent(ALL_TIME.since)}&until=${encodeURIComponent(ALL_TIME.until)}`;
const PAGE = `/v1/pages/111/customers?${WINDOW}&pageSize=100`;

function decode(raw: Buffer, encoding: string | undefined): string {
  if (encoding === 'br') return brotliDecompressSync(raw).toString('utf8');
  if (encoding === 'gzip') return gunzipSync(raw).toString('utf8');
  expect(encoding).toBeUndefined();
  return raw.toString('utf8');
}

describe('mobile-grade responses (e2e)', () => {
  let sim: Simulator;
  let gateway: TestGateway;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ sim, gateway, close } = await startStack({ customers: 150 }));
  });
  afterAll(() => close?.());

  async function send(
    method: 'GET' | 'POST' | 'PATCH',
    path: string,
    headers: Record<string, string> = {},
    body?: unknown,
    key: string | null = undefined as unknown as string,
  ): Promise<WireAnswer> {
    const auth: Record<string, string> = key === null ? {} : { authorization: bearer(key) };
    const response = await httpRequest(`${gateway.url}${path}`, {
      method,
      headers: {
        ...auth,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const raw = Buffer.from(await response.body.arrayBuffer());
    const flat: Record<string, string | undefined> = {};
    for (const [name, value] of Object.entries(response.headers))
      flat[name] = Array.isArray(value) ? value.join(', ') : value;
    return {
      status: response.statusCode,
      headers: flat,
      raw,
      text: raw.length ? decode(raw, flat['content-encoding']) : '',
    };
  }

  const graphqlPost = (
    query: string,
    variables: Record<string, unknown>,
    headers: Record<string, string> = {},
  ) => send('POST', '/graphql', headers, { query, variables });

  const graphqlGet = (
    query: string,
    variables: Record<string, unknown>,
    headers: Record<string, string> = {},
  ) =>
    send(
      'GET',
      `/graphql?query=${encodeURIComponent(query)}&variables=${encodeURIComponent(JSON.stringify(variables))}`,
      { 'apollo-require-preflight': 'true', ...headers },
    );

  /** Runs `work` and counts the requests it sent to the simulator. */
  async function upstreamCallsOf(work: () => Promise<unknown>): Promise<number> {
    sim.clearLog();
    await work();
    return sim.requestLog().length;
  }

  describe('compression', () => {
    let plain: WireAnswer;

    beforeAll(async () => {
      plain = await send('GET', PAGE);
      expect(plain.status).toBe(200);
    });

    it('sends plain JSON when not asked, for identity, and for codings refused with q=0', async () => {
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(JSON.parse(plain.text).nodes).toHaveLength(100);
      for (const acceptEncoding of ['identity', 'gzip;q=0, br;q=0', 'deflate']) {
        const answer = await send('GET', PAGE, { 'accept-encoding': acceptEncoding });
        expect(answer.headers['content-encoding']).toBeUndefined();
        expect(answer.raw.equals(plain.raw)).toBe(true);
      }
    });

    it.each(['br', 'gzip'])(
      '%s round-trips to the same JSON on a first answer and on a replay, at most 25 %% of plain',
      async (encoding) => {
        // A replay key of its own: the first answer is built, not replayed.
        const path = `${PAGE}&${encoding === 'br' ? 'pageNumber=1' : 'includeRemovedNotes=false'}`;
        const first = await send('GET', path, { 'accept-encoding': encoding });
        const replay = await send('GET', path, { 'accept-encoding': encoding });
        for (const answer of [first, replay]) {
          expect(answer.status).toBe(200);
          expect(answer.headers['content-encoding']).toBe(encoding);
          expect(answer.headers.vary).toMatch(/accept-encoding/i);
          expect(answer.headers['content-length']).toBe(String(answer.raw.length));
          expect(JSON.parse(answer.text)).toEqual(JSON.parse(plain.text));
          expect(answer.raw.length).toBeLessThanOrEqual(plain.raw.length * 0.25);
        }
        expect(replay.headers['x-cache']).toBe('HIT');
        expect(replay.headers.etag).toBe(first.headers.etag);
        expect(first.headers.etag).toBe(plain.headers.etag);
      },
    );

    it('prefers brotli when both are offered, and reads * as gzip', async () => {
      expect(
        (await send('GET', PAGE, { 'accept-encoding': 'gzip, deflate, br' })).headers[
          'content-encoding'
        ],
      ).toBe('br');
      expect(
        (await send('GET', PAGE, { 'accept-encoding': '*' })).headers['content-encoding'],
      ).toBe('gzip');
    });

    it('sends answers below COMPRESSION_THRESHOLD_BYTES plain, with Vary', async () => {
      const small = await graphqlPost(countQuery('111'), {}, { 'accept-encoding': 'br, gzip' });
      expect(small.status).toBe(200);
      expect(small.raw.length).toBeLessThan(1024);
      expect(small.headers['content-encoding']).toBeUndefined();
      expect(small.headers.vary).toMatch(/accept-encoding/i);
    });

    it('compresses GraphQL answers, POST and GET', async () => {
      const variables = { pageId: '111', ...ALL_TIME, pageSize: 100 };
      const expected = JSON.parse((await graphqlPost(LIST, variables)).text);
      expect(expected.errors).toBeUndefined();
      for (const encoding of ['br', 'gzip']) {
        for (const answer of [
          await graphqlPost(LIST, variables, { 'accept-encoding': encoding }),
          await graphqlGet(LIST, variables, { 'accept-encoding': encoding }),
        ]) {
          expect(answer.headers['content-encoding']).toBe(encoding);
          expect(JSON.parse(answer.text)).toEqual(expected);
        }
      }
    });
  });

  describe('revalidation', () => {
    it('answers a matching If-None-Match on a REST read with 304, no body and no upstream request', async () => {
      const first = await send('GET', PAGE, { 'accept-encoding': 'br' });
      const etag = first.headers.etag!;
      expect(etag).toMatch(/^W\/"[A-Za-z0-9_-]{27}"$/);
      expect(first.headers['cache-control']).toMatch(/^private, max-age=\d+$/);
      let revalidated: WireAnswer | undefined;
      const calls = await upstreamCallsOf(async () => {
        revalidated = await send('GET', PAGE, { 'if-none-match': etag, 'accept-encoding': 'br' });
      });
      expect(calls).toBe(0);
      expect(revalidated!.status).toBe(304);
      expect(revalidated!.raw.length).toBe(0);
      expect(revalidated!.headers.etag).toBe(etag);
      expect(revalidated!.headers['cache-control']).toMatch(/^private, max-age=\d+$/);
      expect(revalidated!.headers.vary).toMatch(/accept-encoding/i);
      expect(revalidated!.headers['content-encoding']).toBeUndefined();
      // In a list, and in its strong form.
      const listed = await send('GET', PAGE, { 'if-none-match': `W/"other", ${etag.slice(2)}` });
      expect(listed.status).toBe(304);
      const other = await send('GET', PAGE, { 'if-none-match': 'W/"other"' });
      expect(other.status).toBe(200);
      expect(other.headers.etag).toBe(etag);
    });

    it('answers 304 on the first answer too (built, not replayed) when the client holds the bytes', async () => {
      const path = `${PAGE}&pageNumber=1&includeRemovedNotes=false`;
      const etag = (await send('GET', PAGE)).headers.etag!;
      const answer = await send('GET', path, { 'if-none-match': etag });
      expect(answer.status).toBe(304);
      expect(answer.raw.length).toBe(0);
    });

    it('answers 304 to GraphQL queries, POST and GET, with no upstream request', async () => {
      const variables = { pageId: '111', ...ALL_TIME, pageSize: 100 };
      for (const ask of [graphqlPost, graphqlGet]) {
        const first = await ask(LIST, variables);
        expect(first.status).toBe(200);
        const etag = first.headers.etag!;
        expect(etag).toMatch(/^W\//);
        expect(first.headers['cache-control']).toMatch(/^private, max-age=\d+$/);
        let revalidated: WireAnswer | undefined;
        const calls = await upstreamCallsOf(async () => {
          revalidated = await ask(LIST, variables, { 'if-none-match': etag });
        });
        expect(calls).toBe(0);
        expect(revalidated!.status).toBe(304);
        expect(revalidated!.raw.length).toBe(0);
        expect(revalidated!.headers.etag).toBe(etag);
        expect(revalidated!.headers['x-cache']).toBe('HIT');
      }
    });

    it('gives a new ETag and a 200 after a REST write to the page', async () => {
      const before = await send('GET', PAGE);
      const id = (JSON.parse(before.text) as { nodes: { id: string }[] }).nodes[0].id;
      const write = await send(
        'PATCH',
        `/v1/pages/111/customers/${id}`,
        {},
        { name: 'Renamed By REST' },
      );
      expect(write.status).toBe(200);
      expect(write.headers['cache-control']).toBe('no-store');
      expect(write.headers.etag).toBeUndefined();
      const after = await send('GET', PAGE, { 'if-none-match': before.headers.etag! });
      expect(after.status).toBe(200);
      expect(after.headers.etag).not.toBe(before.headers.etag);
      expect(after.text).toContain('Renamed By REST');
    });

    it('gives a new ETag and a 200 after a GraphQL mutation to the page', async () => {
      const variables = { pageId: '111', ...ALL_TIME, pageSize: 100 };
      const before = await graphqlPost(LIST, variables);
      const id = JSON.parse(before.text).data.customers.nodes[1].id as string;
      const mutation = await graphqlPost(
        'mutation ($id: ID!) { updateCustomer(pageId: "111", id: $id, changes: { name: "Renamed By GraphQL" }) { id name } }',
        { id },
      );
      expect(JSON.parse(mutation.text).errors).toBeUndefined();
      expect(mutation.headers['cache-control']).toBe('no-store');
      expect(mutation.headers.etag).toBeUndefined();
      const after = await graphqlPost(LIST, variables, { 'if-none-match': before.headers.etag! });
      expect(after.status).toBe(200);
      expect(after.headers.etag).not.toBe(before.headers.etag);
      expect(after.text).toContain('Renamed By GraphQL');
    });
  });

  describe('Cache-Control', () => {
    it('is no-store on errors, GraphQL errors and 401s, with no ETag', async () => {
      const answers = [
        await send('GET', `/v1/pages/111/customers?since=nope&until=nope`),
        await send('GET', PAGE, {}, undefined, null),
        await send('GET', `/v1/pages/999/customers?${WINDOW}`),
        await graphqlPost('{ customers(pageId: "111") { total } }', {}),
        await send('POST', '/graphql', {}, { query: countQuery('111') }, null),
      ];
      expect(answers.map((answer) => answer.status)).toEqual([
        400,
        401,
        404,
        expect.any(Number),
        expect.any(Number),
      ]);
      for (const answer of answers) {
        expect(answer.headers['cache-control']).toBe('no-store');
        expect(answer.headers.etag).toBeUndefined();
      }
    });
  });

  it('compresses other answers through the plugin (the OpenAPI document)', async () => {
    const doc = await send('GET', '/docs-json', { 'accept-encoding': 'gzip' }, undefined, null);
    expect(doc.status).toBe(200);
    expect(doc.headers['content-encoding']).toBe('gzip');
    expect(doc.headers.vary).toMatch(/accept-encoding/i);
    expect(JSON.parse(doc.text)).toHaveProperty('paths');
  });

  it('documents the headers in OpenAPI', async () => {
    const doc = JSON.parse((await send('GET', '/docs-json', {}, undefined, null)).text) as {
      paths: Record<
        string,
        Record<
          string,
          {
            parameters?: { name: string; in: string }[];
            responses: Record<string, { headers?: Record<string, unknown> }>;
          }
        >
      >;
    };
    const list = doc.paths['/v1/pages/{pageId}/customers'].get;
    expect(list.parameters?.filter((p) => p.in === 'header').map((p) => p.name)).toEqual(
      expect.arrayContaining(['If-None-Match', 'Accept-Encoding']),
    );
    expect(Object.keys(list.responses['200'].headers ?? {})).toEqual(
      expect.arrayContaining([
        'ETag',
        'Cache-Control',
        'Vary',
        'Content-Encoding',
        'X-Cache',
        'Age',
      ]),
    );
    expect(Object.keys(list.responses['304'].headers ?? {})).toEqual(
      expect.arrayContaining(['ETag', 'Cache-Control']),
    );
    expect(list.responses['400'].headers).toHaveProperty('Cache-Control');
    const update = doc.paths['/v1/pages/{pageId}/customers/{id}'].patch;
    expect(update.responses['200'].headers).toHaveProperty('Cache-Control');
  });
});
