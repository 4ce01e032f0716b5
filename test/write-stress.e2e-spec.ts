/**
 * The two chaos scenarios, 20 runs each, on two replicas sharing Redis, with a random
 * upstream latency around the timeout on the first write of each run (from well under it to
 * past the quarantine): concurrent phone adds through both replicas lose no number that was
 * answered 200, and an idempotent note create retried on both replicas makes one note.
 * Figures (slowest answer, statuses) are printed for the closing note, never asserted.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { startSimulator, type Simulator } from '../tools/pancake-sim/index.js';
import { ALL_TIME, bearer, startGateway, type TestGateway } from './support/gateway.js';
import {
  describeWithRedis,
  redisAvailable,
  TEST_REDIS_URL,
  uniquePrefix,
} from './support/redis.js';
import { retryWrite } from './support/write-clients.js';

const RUNS = 20;
const PARALLEL = 4;
const TIMEOUT_MS = 400;
const QUARANTINE_MS = 1500;
/** From half the timeout to past the deadline and past timeout + quarantine (landing after its fence). */
const MIN_LATENCY_MS = 200;
const MAX_LATENCY_MS = 3500;
const CLIENTS = 3;

const latency = (): number =>
  Math.round(MIN_LATENCY_MS + Math.random() * (MAX_LATENCY_MS - MIN_LATENCY_MS));

let phoneSeq = 0;
const newPhone = (): string => `+8491${String(10_000_000 + (phoneSeq++ % 9_000_000)).slice(1)}`;

async function eventually(check: () => boolean, boundMs: number): Promise<boolean> {
  const until = Date.now() + boundMs;
  while (Date.now() < until) {
    if (check()) return true;
    await sleep(100);
  }
  return check();
}

describeWithRedis('writes under random upstream latency, two replicas on Redis (stress)', () => {
  let sim: Simulator;
  let gateways: TestGateway[] = [];
  let urls: string[];
  let ids: string[];

  beforeAll(async () => {
    if (!redisAvailable) return;
    sim = await startSimulator({ customers: 100, rateLimitPerSecond: 1000 });
    const env = {
      PANCAKE_RATE_LIMIT_PER_SECOND: '1000',
      PANCAKE_REQUEST_TIMEOUT_MS: String(TIMEOUT_MS),
      PANCAKE_WRITE_QUARANTINE_MS: String(QUARANTINE_MS),
      PANCAKE_WRITE_JOURNAL_SECONDS: '120',
      REQUEST_DEADLINE_MS: '2500',
      REDIS_URL: TEST_REDIS_URL,
      REDIS_KEY_PREFIX: uniquePrefix('write-stress'),
    };
    gateways = [await startGateway(sim, env), await startGateway(sim, env)];
    urls = gateways.map((g) => g.url);
    const query = new URLSearchParams({ ...ALL_TIME, pageSize: '100' });
    for (const url of urls) {
      const response = await fetch(`${url}/v1/pages/111/customers?${query}`, {
        headers: { authorization: bearer() },
      });
      ids = ((await response.json()) as { nodes: { id: string }[] }).nodes.map((c) => c.id);
    }
  });
  afterAll(async () => {
    for (const gateway of gateways) await gateway.close();
    await sim?.close();
  });

  /** Runs `run` RUNS times, PARALLEL at a time, each on its own customer. */
  async function runAll<T>(
    offset: number,
    run: (id: string, index: number) => Promise<T>,
  ): Promise<T[]> {
    const results: T[] = [];
    for (let start = 0; start < RUNS; start += PARALLEL) {
      const batch = Array.from({ length: Math.min(PARALLEL, RUNS - start) }, (_, k) => start + k);
      results.push(...(await Promise.all(batch.map((i) => run(ids[offset + i]!, i)))));
    }
    return results;
  }

  it(`loses no acknowledged phone number in ${RUNS} runs`, async () => {
    const runs = await runAll(0, async (id, index) => {
      const latencyMs = latency();
      sim.injectFault({
        kind: 'latency',
        latencyMs,
        count: 1,
        pageId: '111',
        operation: 'update',
        customerId: id,
      });
      const numbers = Array.from({ length: CLIENTS }, newPhone);
      const answers = await Promise.all(
        numbers.map((phone, c) =>
          retryWrite(
            urls,
            'POST',
            `/v1/pages/111/customers/${id}/phone-numbers`,
            { phoneNumbers: [phone] },
            { boundMs: 15_000, offset: index + c },
          ),
        ),
      );
      const acknowledged = numbers.filter((_, c) => answers[c]!.status === 200);
      // Past the latest a late write can land, then the repair of what it removed.
      await sleep(MAX_LATENCY_MS + 300);
      await eventually(
        () =>
          acknowledged.every((n) => sim.store.getCustomer('111', id)!.phone_numbers.includes(n)),
        5000,
      );
      const present = sim.store.getCustomer('111', id)!.phone_numbers;
      return {
        latencyMs,
        acknowledged: acknowledged.length,
        lost: acknowledged.filter((n) => !present.includes(n)).length,
        slowestMs: Math.max(...answers.map((a) => a.slowestMs)),
        statuses: answers.flatMap((a) => a.statuses),
      };
    });
    const lost = runs.reduce((sum, r) => sum + r.lost, 0);
    const acknowledged = runs.reduce((sum, r) => sum + r.acknowledged, 0);
    console.log(
      `phone adds: ${RUNS} runs x ${CLIENTS} clients, ${acknowledged} answered 200, ${lost} lost; ` +
        `latency ${MIN_LATENCY_MS}-${MAX_LATENCY_MS} ms; slowest answer ${Math.max(...runs.map((r) => r.slowestMs))} ms; ` +
        `statuses ${JSON.stringify(countOf(runs.flatMap((r) => r.statuses)))}`,
    );
    expect(lost).toBe(0);
    expect(acknowledged).toBe(RUNS * CLIENTS);
  }, 180_000);

  it(`makes no duplicate note in ${RUNS} runs`, async () => {
    const runs = await runAll(RUNS, async (id, index) => {
      const latencyMs = latency();
      sim.injectFault({
        kind: 'latency',
        latencyMs,
        count: 1,
        pageId: '111',
        operation: 'note_create',
        customerId: id,
      });
      const message = `stress ${index} ${Math.random().toString(36).slice(2)}`;
      const key = `stress-${message}`;
      // The same request retried from two places (an app and its background sync), same key.
      const answers = await Promise.all(
        [0, 1].map((c) =>
          retryWrite(
            urls,
            'POST',
            `/v1/pages/111/customers/${id}/notes`,
            { message },
            { boundMs: 15_000, idempotencyKey: key, offset: c },
          ),
        ),
      );
      await sleep(MAX_LATENCY_MS + 300);
      const count = () => sim.store.notesOf('111', id).filter((n) => n.message === message).length;
      await eventually(() => count() === 1, 5000);
      const noteIds = new Set(answers.map((a) => (a.body as { id?: string }).id));
      return {
        latencyMs,
        notes: count(),
        sameNote: answers.every((a) => a.status === 201) && noteIds.size === 1,
        slowestMs: Math.max(...answers.map((a) => a.slowestMs)),
        statuses: answers.flatMap((a) => a.statuses),
      };
    });
    const duplicates = runs.reduce((sum, r) => sum + Math.max(0, r.notes - 1), 0);
    console.log(
      `note creates: ${RUNS} runs x 2 retrying clients, ${duplicates} duplicates, ` +
        `${runs.filter((r) => r.notes === 0).length} missing; slowest answer ${Math.max(...runs.map((r) => r.slowestMs))} ms; ` +
        `statuses ${JSON.stringify(countOf(runs.flatMap((r) => r.statuses)))}`,
    );
    expect(duplicates).toBe(0);
    expect(runs.every((r) => r.notes === 1 && r.sameNote)).toBe(true);
  }, 180_000);
});

function countOf(values: number[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}
