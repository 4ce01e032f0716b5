/**
 * Writes that survive a slow Pancake: a write that gets no answer is never re-sent while it
 * may still land, the customer takes no other write meanwhile (on any replica), and what a
 * write landing later than its quarantine undoes is repaired. Upstream latency comes from
 * the simulator's latency faults, which delay the operation itself: a write the gateway gave
 * up on still lands when its delay ends, as with a slow Pancake.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { startSimulator, type Simulator } from '../tools/pancake-sim/index.js';
import type { FaultSpec } from '../tools/pancake-sim/types.js';
import { ALL_TIME, bearer, startGateway, type TestGateway } from './support/gateway.js';
import {
  describeWithRedis,
  redisAvailable,
  TEST_REDIS_URL,
  uniquePrefix,
} from './support/redis.js';
import { retryWrite } from './support/write-clients.js';

interface CustomerJson {
  id: string;
  phoneNumbers: string[];
}

/** A fresh VN mobile number per call, so every add is a new number. */
let phoneSeq = 0;
const newPhone = (): string => `+8490${String(10_000_000 + (phoneSeq++ % 9_000_000)).slice(1)}`;

async function listIds(url: string): Promise<string[]> {
  const query = new URLSearchParams({ ...ALL_TIME, pageSize: '100' });
  const response = await fetch(`${url}/v1/pages/111/customers?${query}`, {
    headers: { authorization: bearer() },
  });
  const body = (await response.json()) as { nodes: CustomerJson[] };
  return body.nodes.map((c) => c.id);
}

const phonesOf = (sim: Simulator, id: string): string[] =>
  sim.store.getCustomer('111', id)!.phone_numbers;
const notesNamed = (sim: Simulator, id: string, message: string) =>
  sim.store.notesOf('111', id).filter((n) => n.message === message);
const writesTo = (sim: Simulator, id: string, operation: string) =>
  sim.requestLog('111').filter((e) => e.operation === operation && e.path.includes(id));

async function eventually(
  check: () => boolean | Promise<boolean>,
  boundMs = 8000,
): Promise<boolean> {
  const until = Date.now() + boundMs;
  while (Date.now() < until) {
    if (await check()) return true;
    await sleep(100);
  }
  return check();
}

const slow = (
  customerId: string,
  operation: FaultSpec['operation'],
  latencyMs: number,
): FaultSpec => ({
  kind: 'latency',
  latencyMs,
  count: 1,
  pageId: '111',
  operation,
  customerId,
});

/** Boots `replicas` gateways on one simulator; Redis-shared when asked. */
async function fleet(
  sim: Simulator,
  replicas: number,
  env: Record<string, string>,
  redis: boolean,
): Promise<TestGateway[]> {
  const shared: Record<string, string> = redis
    ? { REDIS_URL: TEST_REDIS_URL, REDIS_KEY_PREFIX: uniquePrefix('lossless') }
    : {};
  const gateways: TestGateway[] = [];
  for (let i = 0; i < replicas; i += 1)
    gateways.push(
      await startGateway(sim, {
        PANCAKE_RATE_LIMIT_PER_SECOND: '1000',
        PANCAKE_REQUEST_TIMEOUT_MS: '400',
        ...shared,
        ...env,
      }),
    );
  return gateways;
}

describe('note creation never duplicates (e2e)', () => {
  let sim: Simulator;
  let gateways: TestGateway[];
  let ids: string[];
  let next = 0;

  beforeAll(async () => {
    sim = await startSimulator({ customers: 60, rateLimitPerSecond: 1000 });
    gateways = await fleet(
      sim,
      1,
      { PANCAKE_WRITE_QUARANTINE_MS: '600', REQUEST_DEADLINE_MS: '5000' },
      false,
    );
    ids = await listIds(gateways[0].url);
  });
  afterAll(async () => {
    for (const gateway of gateways) await gateway.close();
    await sim.close();
  });
  beforeEach(() => sim.clearFaults());

  it.each([
    ['500 after the upstream acted', { kind: 'status' as const, status: 500, afterAction: true }],
    ['a reset after the upstream acted', { kind: 'reset' as const, afterAction: true }],
    [
      'success:false after the upstream acted',
      { kind: 'success-false' as const, afterAction: true },
    ],
    ['500 before the upstream acted', { kind: 'status' as const, status: 500 }],
    ['a reset before the upstream acted', { kind: 'reset' as const }],
    ['429 (certainly not acted)', { kind: 'status' as const, status: 429 }],
    ['no answer within the timeout (lands late)', { kind: 'latency' as const, latencyMs: 1000 }],
  ])('after %s', async (_label, fault) => {
    const id = ids[next++];
    const message = `note ${Math.random().toString(36).slice(2)}`;
    sim.injectFault({ ...fault, pageId: '111', operation: 'note_create', count: 1 });
    const answer = await retryWrite(
      [gateways[0].url],
      'POST',
      `/v1/pages/111/customers/${id}/notes`,
      {
        message,
      },
    );
    expect(answer.status).toBe(201);
    expect(answer.statuses).toEqual([201]);
    const stored = notesNamed(sim, id, message);
    expect(stored).toHaveLength(1);
    expect((answer.body as { id: string }).id).toBe(stored[0]!.id);
  });

  it('stops after the retry budget when every attempt fails without acting', async () => {
    const id = ids[next++];
    sim.injectFault({
      kind: 'status',
      status: 500,
      pageId: '111',
      operation: 'note_create',
      count: 10,
    });
    const response = await fetch(`${gateways[0].url}/v1/pages/111/customers/${id}/notes`, {
      method: 'POST',
      headers: { authorization: bearer(), 'content-type': 'application/json' },
      body: JSON.stringify({ message: 'never lands' }),
    });
    expect(response.status).toBe(502);
    expect(notesNamed(sim, id, 'never lands')).toHaveLength(0);
  });
});

for (const mode of [
  { name: 'one in-process gateway', replicas: 1, redis: false },
  { name: 'two replicas on Redis', replicas: 2, redis: true },
]) {
  const describeMode = mode.redis ? describeWithRedis : describe;
  describeMode(`writes with no answer: ${mode.name} (e2e)`, () => {
    let sim: Simulator;
    let urls: string[];
    let gateways: TestGateway[] = [];
    let ids: string[];
    let next = 0;

    beforeAll(async () => {
      if (mode.redis && !redisAvailable) return;
      sim = await startSimulator({ customers: 60, rateLimitPerSecond: 1000 });
      // A 2 s deadline: room for a write landing at 900 ms to be seen on a busy machine (1.5 s
      // answered 502 once under two Jest workers), and 1.5 s before one landing at 3.5 s.
      gateways = await fleet(
        sim,
        mode.replicas,
        { PANCAKE_WRITE_QUARANTINE_MS: '6000', REQUEST_DEADLINE_MS: '2000' },
        mode.redis,
      );
      urls = gateways.map((g) => g.url);
      ids = await listIds(urls[0]);
      // Every replica has listed the page (ids are learned from lists).
      for (const url of urls.slice(1)) await listIds(url);
    });
    afterAll(async () => {
      for (const gateway of gateways) await gateway.close();
      await sim?.close();
    });
    beforeEach(() => sim.clearFaults());

    it('waits for a write that lands late instead of sending it again', async () => {
      const id = ids[next++];
      const phone = newPhone();
      sim.injectFault(slow(id, 'update', 900));
      const answer = await retryWrite(urls, 'POST', `/v1/pages/111/customers/${id}/phone-numbers`, {
        phoneNumbers: [phone],
      });
      expect(answer.statuses).toEqual([200]);
      expect((answer.body as CustomerJson).phoneNumbers).toContain(phone);
      expect(writesTo(sim, id, 'update')).toHaveLength(1);
    });

    it('fences the customer on every replica until the late write is seen; nothing is lost', async () => {
      const id = ids[next++];
      const [first, second] = [newPhone(), newPhone()];
      sim.injectFault(slow(id, 'update', 3500));
      const unknown = await fetch(`${urls[0]}/v1/pages/111/customers/${id}/phone-numbers`, {
        method: 'POST',
        headers: { authorization: bearer(), 'content-type': 'application/json' },
        body: JSON.stringify({ phoneNumbers: [first] }),
      });
      expect(unknown.status).toBe(502);
      expect(Number(unknown.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      const unknownBody = (await unknown.json()) as { error: { details: { outcome: string } } };
      expect(unknownBody.error.details.outcome).toBe('unknown');

      const other = urls[urls.length - 1];
      const fenced = await fetch(`${other}/v1/pages/111/customers/${id}/phone-numbers`, {
        method: 'POST',
        headers: { authorization: bearer(), 'content-type': 'application/json' },
        body: JSON.stringify({ phoneNumbers: [second] }),
      });
      expect(fenced.status).toBe(409);
      const fencedBody = (await fenced.json()) as { error: { details: { fencedUntil: string } } };
      expect(Date.parse(fencedBody.error.details.fencedUntil)).toBeGreaterThan(Date.now());

      const retried = await retryWrite(
        [other],
        'POST',
        `/v1/pages/111/customers/${id}/phone-numbers`,
        { phoneNumbers: [second] },
      );
      expect(retried.status).toBe(200);
      expect(phonesOf(sim, id)).toEqual(expect.arrayContaining([first, second]));
      // The late write was never sent twice: one from the first add, one from the second.
      expect(writesTo(sim, id, 'update')).toHaveLength(2);
    });

    it('replays an idempotent note create that outlived its request, created once', async () => {
      const id = ids[next++];
      const message = `late note ${Math.random().toString(36).slice(2)}`;
      sim.injectFault(slow(id, 'note_create', 3500));
      const answer = await retryWrite(
        urls,
        'POST',
        `/v1/pages/111/customers/${id}/notes`,
        { message },
        { idempotencyKey: `key-${message}` },
      );
      expect(answer.status).toBe(201);
      expect(answer.statuses[0]).toBe(502);
      expect(answer.statuses).toContain(409);
      const stored = notesNamed(sim, id, message);
      expect(stored).toHaveLength(1);
      expect((answer.body as { id: string }).id).toBe(stored[0]!.id);
      expect(writesTo(sim, id, 'note_create')).toHaveLength(1);
    });
  });

  describeMode(`writes landing after their quarantine: ${mode.name} (e2e)`, () => {
    let sim: Simulator;
    let urls: string[];
    let gateways: TestGateway[] = [];
    let ids: string[];
    let next = 0;

    beforeAll(async () => {
      if (mode.redis && !redisAvailable) return;
      sim = await startSimulator({ customers: 60, rateLimitPerSecond: 1000 });
      gateways = await fleet(
        sim,
        mode.replicas,
        {
          PANCAKE_WRITE_QUARANTINE_MS: '1000',
          PANCAKE_WRITE_JOURNAL_SECONDS: '30',
          REQUEST_DEADLINE_MS: '6000',
        },
        mode.redis,
      );
      urls = gateways.map((g) => g.url);
      ids = await listIds(urls[0]);
      for (const url of urls.slice(1)) await listIds(url);
    });
    afterAll(async () => {
      for (const gateway of gateways) await gateway.close();
      await sim?.close();
    });
    beforeEach(() => sim.clearFaults());

    async function repairs(kind: string): Promise<number> {
      let total = 0;
      for (const url of urls) {
        const text = await (await fetch(`${url}/metrics`)).text();
        const line = text
          .split('\n')
          .find((l) => l.startsWith(`gateway_write_repairs_total{kind="${kind}"}`));
        total += line ? Number(line.split(' ').at(-1)) : 0;
      }
      return total;
    }

    it('puts back an acknowledged number that a write landing late removed', async () => {
      const id = ids[next++];
      const [first, second] = [newPhone(), newPhone()];
      sim.injectFault(slow(id, 'update', 3000));
      const a = await retryWrite([urls[0]], 'POST', `/v1/pages/111/customers/${id}/phone-numbers`, {
        phoneNumbers: [first],
      });
      expect(a.statuses).toEqual([200]);
      const b = await retryWrite(
        [urls[urls.length - 1]],
        'POST',
        `/v1/pages/111/customers/${id}/phone-numbers`,
        { phoneNumbers: [second] },
      );
      expect(b.status).toBe(200);
      // The abandoned first PUT lands at about 3 s with the list it carried (without `second`),
      // and the replica that sent it puts `second` back.
      expect(await eventually(async () => (await repairs('phone')) >= 1)).toBe(true);
      expect(phonesOf(sim, id)).toEqual(expect.arrayContaining([first, second]));
    });

    it('removes the extra copy a note create landing late adds', async () => {
      const id = ids[next++];
      const message = `ghost ${Math.random().toString(36).slice(2)}`;
      sim.injectFault(slow(id, 'note_create', 3000));
      const answer = await retryWrite(
        [urls[0]],
        'POST',
        `/v1/pages/111/customers/${id}/notes`,
        { message },
        { idempotencyKey: `key-${message}` },
      );
      expect(answer.statuses).toEqual([201]);
      const kept = (answer.body as { id: string }).id;
      // The first POST lands at about 3 s: a second copy appears, then is removed.
      expect(writesTo(sim, id, 'note_create')).toHaveLength(2);
      expect(await eventually(async () => (await repairs('note')) >= 1)).toBe(true);
      expect(notesNamed(sim, id, message).map((n) => n.id)).toEqual([kept]);
    });
  });
}
