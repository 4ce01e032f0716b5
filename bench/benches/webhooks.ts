// webhooks: two gateway processes on one fresh PostgreSQL database (created from `test`,
// dropped after), a local receiver answering 200.
//   throughput: every event of a 3,000-customer page replayed to one endpoint at once,
//     deliveries/s until the receiver has each (goal >= 500/s);
//   SIGKILL: the same replay with one replica killed a third of the way in: events never
//     received (goal 0) and extra copies (at least once allows them), after the claims lapse;
//   feed latency: a customer inserted in the simulator to its webhook at the receiver
//     (SYNC_INTERVAL_SECONDS=1; goal p99 <= interval + 1 s).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startSimulator, type Simulator } from '../../tools/pancake-sim/index.js';
import { freshPostgresDatabase, postgresUnreachable, type BenchDatabase } from '../postgres.js';
import { BENCH_KEY, startGateway, type RunningProcess } from '../processes.js';
import { fmt, median, percentile, sleep } from '../stats.js';
import type { Bench, BenchContext, Row } from '../types.js';

const BULK_CUSTOMERS = 3000;
const LATENCY_SAMPLES = 20;
const SYNC_INTERVAL_SECONDS = 1;
const THROUGHPUT_GOAL = 500;
/** A killed replica's claims lapse after 60 s (CLAIM_LEASE_MS); then a little more. */
const CLAIM_LAPSE_MS = 65_000;
/** Longest a drain may take: a killed replica's claims lapse after 60 s. */
const DRAIN_LIMIT_MS = 150_000;

export const webhooksBench: Bench = { name: 'webhooks', run };

/** Counts what arrives, by webhook-id, and wakes whoever waits for a count. */
class Receiver {
  readonly seen = new Map<string, number>();
  readonly arrivals = new Map<string, number>();
  total = 0;
  url = '';
  private server?: Server;

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        const id = String(req.headers['webhook-id']);
        this.seen.set(id, (this.seen.get(id) ?? 0) + 1);
        if (!this.arrivals.has(id)) this.arrivals.set(id, performance.now());
        this.total += 1;
        res.end();
      });
    });
    this.server.keepAliveTimeout = 10_000;
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
    return this;
  }

  reset(): void {
    this.seen.clear();
    this.arrivals.clear();
    this.total = 0;
  }

  close(): Promise<void> {
    this.server?.closeAllConnections();
    return new Promise((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}

async function call(
  gateway: RunningProcess,
  method: string,
  path: string,
  body?: unknown,
): Promise<unknown> {
  const response = await fetch(`${gateway.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${BENCH_KEY}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

async function until(what: string, probe: () => Promise<boolean> | boolean, limitMs: number) {
  const deadline = Date.now() + limitMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

async function run(ctx: BenchContext): Promise<Row[]> {
  let database: BenchDatabase;
  try {
    database = await freshPostgresDatabase('bench_webhooks');
  } catch (error) {
    return [postgresUnreachable('webhooks', error)];
  }
  let sim: Simulator | undefined;
  const gateways: RunningProcess[] = [];
  const receiver = await new Receiver().start();
  try {
    sim = await startSimulator({
      pages: ['111', '222'],
      customersByPage: { '111': 20, '222': BULK_CUSTOMERS },
      rateLimitPerSecond: 100,
    });
    const env = {
      DATABASE_URL: database.url,
      SYNC_PAGES: '111,222',
      SYNC_INTERVAL_SECONDS: String(SYNC_INTERVAL_SECONDS),
      PANCAKE_RATE_LIMIT_PER_SECOND: '100',
      SYNC_MAX_REQUESTS_PER_SECOND: '100',
      WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
      WEBHOOK_POLL_INTERVAL_MS: '200',
      // One line per attempt would cost the bench's 2 cores more than the deliveries.
      LOG_LEVEL: 'warn',
    };
    // The first applies the migrations alone; the second starts on a migrated database.
    gateways.push(await startGateway({ sim, env }));
    gateways.push(await startGateway({ sim, env }));
    for (const page of ['111', '222'])
      await until(
        `page ${page} live`,
        async () =>
          ((await call(gateways[0], 'GET', `/v1/pages/${page}/sync`)) as { state: string })
            .state === 'LIVE',
        120_000,
      );

    const bulk = (await call(gateways[0], 'POST', '/v1/webhooks', {
      url: receiver.url,
      pageIds: ['222'],
    })) as { webhook: { id: string } };
    const replay = async (): Promise<number> =>
      (
        (await call(gateways[0], 'POST', `/v1/webhooks/${bulk.webhook.id}/replay`, {
          since: '2000-01-01T00:00:00Z',
        })) as { queued: number }
      ).queued;

    // Throughput, rounds on the same events (each replay re-queues them all).
    const rates: number[] = [];
    let events = 0;
    for (let round = 0; round < ctx.rounds; round += 1) {
      receiver.reset();
      const started = performance.now();
      events = await replay();
      await until('the replay drained', () => receiver.seen.size >= events, DRAIN_LIMIT_MS);
      const seconds = (performance.now() - started) / 1000;
      rates.push(events / seconds);
      ctx.note(
        `webhooks throughput round ${round + 1}: ${events} events in ${seconds.toFixed(2)} s ` +
          `(${fmt(events / seconds)} /s), ${receiver.total - receiver.seen.size} extra copies`,
      );
      await sleep(500); // the last settles land before the next replay resets them
    }

    // Feed latency on the quiet page, one customer at a time (before any replica is killed).
    receiver.reset();
    await call(gateways[0], 'POST', '/v1/webhooks', { url: receiver.url, pageIds: ['111'] });
    const latencies: number[] = [];
    for (let i = 0; i < LATENCY_SAMPLES; i += 1) {
      // A random phase against the poll period, as real inserts arrive.
      await sleep(Math.floor(Math.random() * SYNC_INTERVAL_SECONDS * 1000));
      const before = receiver.seen.size;
      const inserted = performance.now();
      await fetch(`${sim.controlUrl}/pages/111/customers`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ customers: [{ name: `Latency ${i}` }] }),
      });
      await until('the webhook', () => receiver.seen.size > before, 30_000);
      latencies.push(performance.now() - inserted);
    }
    const p50 = median(latencies);
    const p99 = percentile(latencies, 99);
    const latencyGoalMs = (SYNC_INTERVAL_SECONDS + 1) * 1000;
    ctx.note(
      `webhooks feed latency (${LATENCY_SAMPLES} inserts): p50 ${fmt(p50)} ms, p99 ${fmt(p99)} ms, ` +
        `max ${fmt(Math.max(...latencies))} ms`,
    );
    // SIGKILL one replica a third of the way through a replay.
    receiver.reset();
    const killStarted = performance.now();
    const queued = await replay();
    await until('a third delivered', () => receiver.seen.size >= queued / 3, DRAIN_LIMIT_MS);
    process.kill(gateways[1].pid, 'SIGKILL');
    const deliveredAtKill = receiver.seen.size;
    let lost = queued;
    try {
      await until('the rest delivered', () => receiver.seen.size >= queued, DRAIN_LIMIT_MS);
    } finally {
      lost = queued - receiver.seen.size;
    }
    const killSeconds = (performance.now() - killStarted) / 1000;
    // What the killed replica had sent but not recorded is sent again once its claims lapse:
    // count the copies after that.
    await sleep(CLAIM_LAPSE_MS);
    const duplicates = receiver.total - receiver.seen.size;
    ctx.note(
      `webhooks SIGKILL: ${queued} events, replica killed after ${deliveredAtKill} arrived, all ` +
        `arrived ${killSeconds.toFixed(1)} s after the replay, ${lost} lost, ${duplicates} extra ` +
        `copies ${CLAIM_LAPSE_MS / 1000} s later (sent by the killed replica, not recorded, sent again)`,
    );

    const rate = median(rates);
    return [
      {
        bench: 'webhooks',
        figure: `throughput ${fmt(rate)} deliveries/s (${events} events, 2 replicas, PostgreSQL)`,
        baseline: '',
        ratio: '',
        target: `>= ${THROUGHPUT_GOAL}/s`,
        met: rate >= THROUGHPUT_GOAL,
      },
      {
        bench: 'webhooks',
        figure: `SIGKILL of a replica mid-run: ${lost} of ${queued} lost, ${duplicates} extra copies`,
        baseline: '',
        ratio: '',
        target: '0 lost',
        met: lost === 0,
      },
      {
        bench: 'webhooks',
        figure: `feed latency insert -> receiver p99 ${fmt(p99)} ms (p50 ${fmt(p50)} ms)`,
        baseline: '',
        ratio: '',
        target: `p99 <= ${latencyGoalMs} ms`,
        met: p99 <= latencyGoalMs,
      },
    ];
  } finally {
    await Promise.all(gateways.map((g) => g.stop()));
    await receiver.close();
    await sim?.close();
    await database.drop().catch(() => undefined);
  }
}
