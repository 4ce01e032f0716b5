// A hand-made bad upstream (a plain node:http server standing in for Pancake) in front of the
// real gateway on Redis: answers that drip, answers too large and answers of the wrong shape
// fail as 502 UPSTREAM_ERROR, are never cached (the next read asks upstream again), and a
// wrong shape is logged once at warn, without the token or the URL.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import request from 'supertest';
import { ALL_TIME, bearer, startGateway, TEST_KEYS, type TestGateway } from './support/gateway.js';
import { capturingLogger } from './support/log-capture.js';
import {
  deletePrefix,
  describeWithRedis,
  TEST_REDIS_URL,
  testRedis,
  uniquePrefix,
} from './support/redis.js';

const TOKEN = 'stand-in-token-111-abcdef';
const BODY_DEADLINE_MS = 300;
const MAX_RESPONSE_BYTES = 64 * 1024;
const MAX_RETRIES = 3;

type Handler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

const customer = (overrides: Record<string, unknown> = {}) => ({
  id: randomUUID(),
  customer_id: null,
  psid: '4839274892374',
  name: 'Lan',
  phone_numbers: ['+84901234567'],
  emails: null,
  gender: 'female',
  birthday: '1998-00-00',
  lives_in: null,
  inserted_at: '2025-08-26T06:29:56',
  updated_at: '2025-08-26T06:29:56.123000',
  notes: [],
  ...overrides,
});
const page = (customers: unknown[], overrides: Record<string, unknown> = {}) => ({
  total: customers.length,
  customers,
  success: true,
  ...overrides,
});

describeWithRedis('upstream answers the gateway cannot use', () => {
  const prefix = uniquePrefix('upstream-answers');
  let upstream: Server;
  let upstreamUrl: string;
  let handler: Handler;
  let listRequests = 0;
  let gateway: TestGateway;
  let lines: () => string[];
  let pageSize = 0;

  beforeAll(async () => {
    upstream = createServer((req, res) => {
      if (req.url?.startsWith('/pages/111/page_customers?')) listRequests += 1;
      void handler(req, res);
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
    gateway = await startGateway(
      { url: upstreamUrl, avatarBaseUrl: `${upstreamUrl}/avatars`, pageTokensEnv: `111=${TOKEN}` },
      {
        REDIS_URL: TEST_REDIS_URL,
        REDIS_KEY_PREFIX: prefix,
        // Only page 111 has a token here; a key for another page would not start.
        GATEWAY_API_KEYS: `admin=${TEST_KEYS.admin}`,
        LOG_LEVEL: 'warn',
        PANCAKE_MAX_RETRIES: String(MAX_RETRIES),
        PANCAKE_BODY_DEADLINE_MS: String(BODY_DEADLINE_MS),
        PANCAKE_MAX_RESPONSE_BYTES: String(MAX_RESPONSE_BYTES),
      },
      (config) => {
        const capture = capturingLogger(config);
        lines = capture.lines;
        return { logger: capture.logger };
      },
    );
  });
  afterAll(async () => {
    await gateway?.close();
    upstream.closeAllConnections();
    await new Promise((resolve) => upstream.close(resolve));
    const redis = testRedis();
    await deletePrefix(redis, prefix);
    await redis.quit();
  });
  beforeEach(() => {
    listRequests = 0;
    pageSize += 1; // a read of its own per test: nothing one test cached can answer another
  });

  const answerJson =
    (body: unknown): Handler =>
    (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
  const read = () =>
    request(gateway.url)
      .get('/v1/pages/111/customers')
      .query({ ...ALL_TIME, pageSize })
      .set('Authorization', bearer());

  /** The read failed as 502 UPSTREAM_ERROR and left nothing behind: the next one asks again. */
  async function expectFailedAndNotCached(upstreamAttempts: number): Promise<string> {
    const first = await read();
    expect(first.status).toBe(502);
    expect(first.body.error.code).toBe('UPSTREAM_ERROR');
    expect(listRequests).toBe(upstreamAttempts);
    const message = String(first.body.error.message);
    expect(message).not.toContain(TOKEN);
    expect(message).not.toContain(upstreamUrl);
    const again = await read();
    expect(again.status).toBe(502);
    expect(listRequests).toBe(2 * upstreamAttempts);
    return message;
  }

  it('passes a good answer and caches it', async () => {
    handler = answerJson(page([customer(), customer({ notes: null, emails: ['a@b.vn'] })]));
    const first = await read().expect(200);
    expect(first.body.nodes).toHaveLength(2);
    await read().expect(200);
    expect(listRequests).toBe(1);
  });

  it('fails an answer that drips past the body deadline, retried as a passing fault', async () => {
    // 1 byte per 100 ms: undici's per-chunk bodyTimeout never fires on this.
    handler = async (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      for (const byte of Buffer.from(JSON.stringify(page([])))) {
        if (res.destroyed) return;
        res.write(Buffer.from([byte]));
        await sleep(100);
      }
      res.end();
    };
    const message = await expectFailedAndNotCached(1 + MAX_RETRIES);
    expect(message).toContain(`not complete within ${BODY_DEADLINE_MS} ms`);
  });

  it('fails an answer over the size cap at once: it would be as large again', async () => {
    const big = page(Array.from({ length: 100 }, () => customer({ name: 'x'.repeat(2000) })));
    handler = async (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }); // chunked: no length to refuse early
      const bytes = Buffer.from(JSON.stringify(big));
      for (let at = 0; at < bytes.length && !res.destroyed; at += 16 * 1024) {
        res.write(bytes.subarray(at, at + 16 * 1024));
        await sleep(1);
      }
      res.end();
    };
    const message = await expectFailedAndNotCached(1);
    expect(message).toContain('PANCAKE_MAX_RESPONSE_BYTES');
  });

  it.each([
    [
      'a wrong total and a map of customers',
      { total: 'lots', customers: { a: 1 }, success: true },
      'total',
    ],
    ['a null entry', page([customer(), null]), 'customers[1]'],
    ['an id that is a path', page([customer({ id: '../../x' })]), 'customers[0].id'],
    ['a missing id', page([customer({ id: undefined })]), 'customers[0].id'],
    ['a psid that is not digits', page([customer({ psid: '../x' })]), 'customers[0].psid'],
    [
      'a note id that is not a safe token',
      page([customer({ notes: [{ id: 'a/b', message: 'm', created_at: 1 }] })]),
      'customers[0].notes[0].id',
    ],
    [
      'a wrongly typed field',
      page([customer({ phone_numbers: '0901' })]),
      'customers[0].phone_numbers',
    ],
    ['a negative total', page([customer()], { total: -1 }), 'total'],
    ['a fractional total', page([customer()], { total: 2.5 }), 'total'],
  ])('refuses %s: 502, not retried, not cached, one warn line', async (_name, body, path) => {
    handler = answerJson(body);
    const before = lines().length;
    const message = await expectFailedAndNotCached(1);
    expect(message).toContain(path);
    const logged = lines()
      .slice(before)
      .filter((line) => line.includes('not the expected shape'));
    expect(logged).toHaveLength(2); // one per failed read
    const entry = JSON.parse(logged[0]) as Record<string, unknown>;
    expect(entry).toMatchObject({ level: 'warn', pageId: '111', operation: 'list' });
    expect(String(entry.problems)).toContain(path);
    expect(logged[0].length).toBeLessThan(2000);
    expect(logged[0]).not.toContain(TOKEN);
    expect(logged[0]).not.toContain(upstreamUrl);
    expect(logged[0]).not.toContain('page_access_token');
  });
});
