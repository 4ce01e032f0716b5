// One slow page must not slow the others: each page has its own share of the upstream
// connections. With 4 connections and a share of 2, page 333's answers held by a latency
// fault tie up 2 connections at most, and page 222 is read meanwhile. (With one shared
// pool, 333's four held reads took every connection and 222 waited for them.)
import { setTimeout as sleep } from 'node:timers/promises';
import request from 'supertest';
import { ALL_TIME, bearer, startStack } from './support/gateway.js';

const HELD_MS = 2_500;
/** Lets every read of the slow page leave the gateway (no rate spacing here): not a bound. */
const SETTLE_MS = 300;

describe('a slow page and the others', () => {
  let stack: Awaited<ReturnType<typeof startStack>>;

  beforeAll(async () => {
    stack = await startStack(
      // The rate limit is out of the way: this is about connections, not slots.
      { customers: 50, rateLimitPerSecond: 1000 },
      {
        PANCAKE_RATE_LIMIT_PER_SECOND: '1000',
        PANCAKE_MAX_CONCURRENCY: '4',
        PANCAKE_MAX_CONCURRENCY_PER_PAGE: '2',
      },
    );
  });
  afterAll(async () => {
    await stack.close();
  });

  const read = (pageId: string, pageNumber: number) =>
    request(stack.gateway.url)
      .get(`/v1/pages/${pageId}/customers`)
      .query({ ...ALL_TIME, pageSize: 10, pageNumber })
      .set('Authorization', bearer());

  it('reads page 222 while page 333 holds its share of the connections', async () => {
    const { sim } = stack;
    sim.injectFault({
      kind: 'latency',
      latencyMs: HELD_MS,
      pageId: '333',
      operation: 'list',
      count: 4,
    });
    // Four distinct reads (no coalescing): as many as there are connections in all.
    const slow = [1, 2, 3, 4].map((n) => read('333', n).then((r) => r.status));
    while (sim.requestLog('333').length < 2) await sleep(10);
    await sleep(SETTLE_MS);

    const other = await read('222', 1);

    expect(other.status).toBe(200);
    expect(sim.requestLog('222').map((e) => e.status)).toEqual([200]);
    const held = sim.requestLog('333');
    // Page 333 had only its share out, and all of it was still held while 222 was read.
    expect(held.length).toBeLessThanOrEqual(2);
    expect(held.map((e) => e.status)).toEqual(held.map(() => 0));
    // The slow page's other reads waited for its share (not for a rate-limit slot) and answer.
    expect(await Promise.all(slow)).toEqual([200, 200, 200, 200]);
    expect(sim.requestLog('333').map((e) => e.status)).toEqual([200, 200, 200, 200]);
  });
});
