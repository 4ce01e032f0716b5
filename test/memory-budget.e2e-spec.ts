/**
 * The byte budget, end to end: 300 distinct 100-customer windows (REST and GraphQL, 2,000 customers) through a
 * gateway with CACHE_MAX_BYTES = 2 MiB. What the caches are accounted for (gateway_cache_bytes
 * on /metrics) never exceeds the budget, every kind fills part of it, and answers stay right,
 * also for windows whose entries were evicted long ago.
 */
import request from 'supertest';
import { startSimulator, type Simulator } from '../tools/pancake-sim/index.js';
import { ALL_TIME, bearer, startGateway, type TestGateway } from './support/gateway.js';
import { GraphqlClient, LIST, type CustomerPageJson } from './support/graphql-client.js';

const BUDGET_BYTES = 2 * 1024 * 1024;
const WINDOWS = 300;
const DAY_MS = 86_400_000;
const FIRST_SINCE = Date.parse('2024-01-01T00:00:00Z');

const PAGES_PER_SINCE = 20;

/** 300 distinct windows of 100 customers: 20 pages (2,000 customers) from each of 15 starts. */
const windowOf = (i: number) => ({
  since: new Date(FIRST_SINCE + Math.floor(i / PAGES_PER_SINCE) * DAY_MS).toISOString(),
  until: ALL_TIME.until,
  pageNumber: 1 + (i % PAGES_PER_SINCE),
  pageSize: 100,
});

async function cacheBytes(gateway: TestGateway): Promise<Record<string, number>> {
  const text = (await request(gateway.url).get('/metrics').expect(200)).text;
  const bytes: Record<string, number> = {};
  for (const match of text.matchAll(/^gateway_cache_bytes\{kind="(\w+)"\} (\d+)$/gm)) {
    bytes[match[1]] = Number(match[2]);
  }
  return bytes;
}

const total = (bytes: Record<string, number>): number =>
  Object.values(bytes).reduce((sum, n) => sum + n, 0);

describe('memory budget: 300 distinct windows within CACHE_MAX_BYTES', () => {
  let sim: Simulator;
  let gateway: TestGateway;
  let gql: GraphqlClient;

  beforeAll(async () => {
    sim = await startSimulator({ customers: 3000, rateLimitPerSecond: Infinity });
    gateway = await startGateway(sim, {
      CACHE_MAX_BYTES: String(BUDGET_BYTES),
      CACHE_TTL_SECONDS: '600',
      PANCAKE_RATE_LIMIT_PER_SECOND: '1000',
    });
    gql = new GraphqlClient(gateway.url);
  });
  afterAll(async () => {
    await gateway.close();
    await sim.close();
  });

  /** Every third window through GraphQL, the others through REST: the same page shape. */
  async function read(i: number): Promise<CustomerPageJson> {
    if (i % 3 === 2) {
      const { body } = await gql.gql(LIST, { pageId: '111', ...windowOf(i) });
      expect(body.errors).toBeUndefined();
      return body.data?.customers as CustomerPageJson;
    }
    const response = await request(gateway.url)
      .get('/v1/pages/111/customers')
      .query(windowOf(i))
      .set('Authorization', bearer())
      .expect(200);
    return response.body as CustomerPageJson;
  }

  it('keeps the accounted bytes within the budget while answers stay correct', async () => {
    const first: CustomerPageJson[] = [];
    let most = 0;
    for (let i = 0; i < WINDOWS; i += 1) {
      const page = await read(i);
      expect(page.nodes).toHaveLength(100);
      const since = Date.parse(windowOf(i).since);
      for (const customer of page.nodes) {
        expect(Date.parse(customer.insertedAt!)).toBeGreaterThanOrEqual(since);
      }
      first.push(page);
      if (i % 25 === 24) {
        const bytes = await cacheBytes(gateway);
        most = Math.max(most, total(bytes));
        expect(total(bytes)).toBeLessThanOrEqual(BUDGET_BYTES);
      }
    }
    const bytes = await cacheBytes(gateway);
    expect(total(bytes)).toBeLessThanOrEqual(BUDGET_BYTES);
    // Full: the budget, not the entry count (5000), decided what stayed.
    expect(most).toBeGreaterThan(BUDGET_BYTES * 0.75);
    for (const kind of ['read', 'replay', 'index']) expect(bytes[kind]).toBeGreaterThan(0);

    // Early windows were evicted: read again, from upstream, they answer what they did.
    const upstreamBefore = sim.requestLog('111').length;
    for (const i of [0, 1, 2, 150]) expect(await read(i)).toEqual(first[i]);
    expect(sim.requestLog('111').length).toBeGreaterThan(upstreamBefore);
    // The latest window is still cached: no upstream request.
    const upstreamNow = sim.requestLog('111').length;
    expect(await read(WINDOWS - 1)).toEqual(first[WINDOWS - 1]);
    expect(sim.requestLog('111').length).toBe(upstreamNow);
    expect(total(await cacheBytes(gateway))).toBeLessThanOrEqual(BUDGET_BYTES);
  });
});
