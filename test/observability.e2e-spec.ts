import { readFileSync } from 'node:fs';
import request from 'supertest';
import { startSimulator, type Simulator } from '../tools/pancake-sim/index.js';
import { ALL_TIME, bearer, startGateway, TEST_KEYS, type TestGateway } from './support/gateway.js';
import { capturingLogger } from './support/log-capture.js';

const VERSION = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  }
).version;

describe('logs, metrics and health', () => {
  let sim: Simulator;
  let gateway: TestGateway;
  let lines: () => string[];

  beforeAll(async () => {
    sim = await startSimulator({ customers: 120, rateLimitPerSecond: 1000 });
    gateway = await startGateway(
      sim,
      { LOG_LEVEL: 'debug', PANCAKE_RATE_LIMIT_PER_SECOND: '1000' },
      (config) => {
        const capture = capturingLogger(config);
        lines = capture.lines;
        return { logger: capture.logger };
      },
    );
  });
  afterAll(async () => {
    await gateway.close();
    await sim.close();
  });

  const list = (key: string = TEST_KEYS.admin, requestId?: string) => {
    const req = request(gateway.url)
      .get('/v1/pages/111/customers')
      .query({ ...ALL_TIME, pageSize: 5 })
      .set('Authorization', bearer(key));
    return requestId ? req.set('X-Request-Id', requestId) : req;
  };

  it('writes one JSON line per request with what the request did', async () => {
    await list(TEST_KEYS.admin, 'req-obs-1').expect(200);
    await list(TEST_KEYS.admin, 'req-obs-2').expect(200);
    const entries = lines().map((l) => JSON.parse(l) as Record<string, unknown>);
    const first = entries.find((e) => e.requestId === 'req-obs-1' && e.msg === 'request');
    expect(first).toMatchObject({
      key: 'admin',
      method: 'GET',
      route: '/v1/pages/:pageId/customers',
      status: 200,
      upstreamCalls: 1,
      cache: 'miss',
    });
    expect(typeof first?.durationMs).toBe('number');
    const second = entries.find((e) => e.requestId === 'req-obs-2' && e.msg === 'request');
    expect(second).toMatchObject({ upstreamCalls: 0, cache: 'hit' });
  });

  it('echoes or makes a request id', async () => {
    const given = await list(TEST_KEYS.admin, 'abc-123');
    expect(given.headers['x-request-id']).toBe('abc-123');
    const made = await list(TEST_KEYS.admin, 'bad id with spaces');
    expect(made.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('never logs a page token or an API key, even when upstream fails or a token is rejected', async () => {
    sim.injectFault({ kind: 'status', status: 500, pageId: '111', count: 20 });
    await request(gateway.url)
      .get('/v1/pages/111/customers')
      .query({ ...ALL_TIME, pageSize: 7 })
      .set('Authorization', bearer())
      .expect(502);
    sim.clearFaults();
    await list('a-wrong-key-that-is-long-enough').expect(401);
    await request(gateway.url)
      .post('/graphql')
      .set('Authorization', bearer(TEST_KEYS.reader))
      .send({ query: '{ customers(pageId: "111", since: "x", until: "y") { total } }' });
    const text = lines().join('\n');
    expect(text.length).toBeGreaterThan(0);
    for (const secret of [
      ...gateway.config.pancake.pageTokens.values(),
      ...Object.values(TEST_KEYS),
    ]) {
      expect(text).not.toContain(secret);
    }
    expect(text).not.toMatch(/page_access_token=(?!\[redacted\])/);
  });

  it('exports Prometheus metrics without ids or tokens in labels', async () => {
    await list().expect(200);
    const res = await request(gateway.url).get('/metrics').expect(200);
    expect(res.headers['content-type']).toMatch(/text\/plain/);
    const text = res.text;
    for (const name of [
      'gateway_http_request_duration_seconds_bucket',
      'pancake_upstream_requests_total{operation="list",status="200"}',
      'pancake_upstream_retries_total',
      'pancake_rate_limiter_wait_seconds_bucket',
      'pancake_rate_limiter_queue_length{page="111"}',
      'gateway_cache_events_total{outcome="hit"}',
      'gateway_cache_events_total{outcome="miss"}',
      'process_resident_memory_bytes',
      `gateway_build_info{version="${VERSION}"} 1`,
    ]) {
      expect(text).toContain(name);
    }
    expect(text).not.toMatch(/sim-token|test-admin-key/);
    expect(text).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/);
  });

  it('answers health without a key', async () => {
    const live = await request(gateway.url).get('/health/live').expect(200);
    // The version of package.json, for rollouts and support.
    expect(live.body).toMatchObject({ status: 'ok', version: VERSION });
    const ready = await request(gateway.url).get('/health/ready').expect(200);
    expect(ready.body.status).toBe('ok');
  });
});
