/**
 * Every answer is bounded by the request deadline (REQUEST_DEADLINE_MS), retries, queueing
 * and upstream waits included. Bounds are checked through what reached the simulator (how
 * many attempts fit) and the answer; answer times are printed for the closing note.
 */
import { startSimulator, type Simulator } from '../tools/pancake-sim/index.js';
import { ALL_TIME, bearer, startGateway, type TestGateway } from './support/gateway.js';

describe('request deadline (e2e)', () => {
  let sim: Simulator;
  let gateway: TestGateway;
  let window = 0;

  beforeAll(async () => {
    sim = await startSimulator({ customers: 20, rateLimitPerSecond: 1000 });
    gateway = await startGateway(sim, {
      PANCAKE_RATE_LIMIT_PER_SECOND: '1000',
      PANCAKE_REQUEST_TIMEOUT_MS: '1000',
      PANCAKE_RETRY_BASE_MS: '200',
      REQUEST_DEADLINE_MS: '2000',
      CACHE_STALE_TTL_SECONDS: '0',
    });
  });
  afterAll(async () => {
    await gateway.close();
    await sim.close();
  });
  beforeEach(() => {
    sim.clearFaults();
    sim.clearLog();
  });

  /** A cold read: every call asks for a window no earlier call asked for. */
  async function coldRead(
    transport: 'rest' | 'graphql',
    pageId: string,
  ): Promise<{ status: number; retryAfter: string | null; code: string; ms: number }> {
    const since = new Date(Date.parse(ALL_TIME.since) + ++window * 1000).toISOString();
    const started = Date.now();
    const response =
      transport === 'rest'
        ? await fetch(
            `${gateway.url}/v1/pages/${pageId}/customers?${new URLSearchParams({ since, until: ALL_TIME.until })}`,
            { headers: { authorization: bearer() } },
          )
        : await fetch(`${gateway.url}/graphql`, {
            method: 'POST',
            headers: { authorization: bearer(), 'content-type': 'application/json' },
            body: JSON.stringify({
              query: `query($p: ID!, $s: DateTime!, $u: DateTime!) { customers(pageId: $p, since: $s, until: $u) { total } }`,
              variables: { p: pageId, s: since, u: ALL_TIME.until },
            }),
          });
    const body = (await response.json()) as {
      error?: { code: string };
      errors?: { extensions: { code: string } }[];
    };
    return {
      status: response.status,
      retryAfter: response.headers.get('retry-after'),
      code: body.error?.code ?? body.errors?.[0]?.extensions.code ?? 'ok',
      ms: Date.now() - started,
    };
  }

  const lists = (pageId: string) => sim.requestLog(pageId).filter((e) => e.operation === 'list');

  // A page each: a 429 pauses its page for every later request.
  it.each([
    ['rest', '111'],
    ['graphql', '222'],
  ] as const)(
    'answers a 429 with Retry-After longer than the deadline at once, with the hint (%s)',
    async (transport, pageId) => {
      sim.injectFault({
        kind: 'status',
        status: 429,
        retryAfterSeconds: 60,
        count: 5,
        pageId,
        operation: 'list',
      });
      const answer = await coldRead(transport, pageId);
      console.log(`429 Retry-After 60, ${transport}: answered in ${answer.ms} ms`);
      expect(answer.code).toBe('RATE_LIMITED');
      if (transport === 'rest') {
        expect(answer.status).toBe(429);
        expect(Number(answer.retryAfter)).toBeGreaterThanOrEqual(60);
      }
      // The retry could not fit in the deadline: it was never sent.
      expect(lists(pageId)).toHaveLength(1);
    },
    10_000,
  );

  it.each(['rest', 'graphql'] as const)(
    'answers within the deadline when upstream never answers (%s)',
    async (transport) => {
      sim.injectFault({
        kind: 'latency',
        latencyMs: 15_000,
        count: 10,
        pageId: '333',
        operation: 'list',
      });
      const answer = await coldRead(transport, '333');
      console.log(`15 s latency, ${transport}: answered in ${answer.ms} ms`);
      expect(answer.code).toBe('UPSTREAM_ERROR');
      // A 1 s timeout, a 200 ms backoff and a second attempt cut at the 2 s deadline: two at most.
      expect(lists('333').length).toBeGreaterThanOrEqual(1);
      expect(lists('333').length).toBeLessThanOrEqual(2);
    },
    10_000,
  );
});
