// feed: how long a customer inserted in the simulator takes to reach a graphql-ws subscriber and
// an SSE reader of the built gateway (embedded database, one sync per second). Inserts land at
// random points of the poll cycle, one at a time; p99 must stay within SYNC_INTERVAL_SECONDS + 1 s.
import { request as httpRequest } from 'node:http';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { startSimulator } from '../../tools/pancake-sim/index.js';
import { AUTH } from '../gateway-requests.js';
import { startGateway, type RunningProcess } from '../processes.js';
import { fmt, pct, percentile, sleep } from '../stats.js';
import type { BenchContext, Row } from '../types.js';

const PAGE = '111';
const SYNC_INTERVAL_SECONDS = 1;
const TARGET_MS = (SYNC_INTERVAL_SECONDS + 1) * 1000;
const INSERTS_PER_ROUND = 25;
const ARRIVAL_BOUND_MS = 15_000;

type Channel = 'subscription' | 'sse';

/** Customer id -> when each channel saw its CUSTOMER_CREATED. */
type Arrivals = Map<string, Partial<Record<Channel, number>>>;

function arrived(arrivals: Arrivals, channel: Channel, customerId: string): void {
  const seen = arrivals.get(customerId) ?? {};
  seen[channel] ??= performance.now();
  arrivals.set(customerId, seen);
}

async function waitLive(url: string): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    const response = await fetch(`${url}/v1/pages/${PAGE}/sync`, { headers: AUTH });
    if (((await response.json()) as { state?: string }).state === 'LIVE') return;
    await sleep(200);
  }
  throw new Error('feed: page 111 never became LIVE');
}

/** An SSE reader over plain HTTP, from the live edge. */
function openSse(url: string, arrivals: Arrivals): Promise<() => void> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      `${url}/v1/pages/${PAGE}/events?types=CUSTOMER_CREATED`,
      { headers: { ...AUTH, accept: 'text/event-stream' } },
      (response) => {
        if (response.statusCode !== 200)
          reject(new Error(`feed: SSE answered ${response.statusCode}`));
        let pending = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          pending += chunk;
          let end: number;
          while ((end = pending.indexOf('\n\n')) >= 0) {
            const data = pending
              .slice(0, end)
              .split('\n')
              .find((line) => line.startsWith('data: '));
            pending = pending.slice(end + 2);
            if (data)
              arrived(
                arrivals,
                'sse',
                (JSON.parse(data.slice(6)) as { customerId: string }).customerId,
              );
          }
        });
        resolve(() => request.destroy());
      },
    );
    request.on('error', reject);
    request.end();
  });
}

export const feedBench = {
  name: 'feed',
  run: (ctx: BenchContext): Promise<Row[]> => run(ctx),
};

async function run(ctx: BenchContext): Promise<Row[]> {
  const sim = await startSimulator({ customers: 50, pages: [PAGE] });
  let gateway: RunningProcess | undefined;
  const cleanups: (() => unknown)[] = [];
  try {
    gateway = await startGateway({
      sim,
      env: {
        SYNC_PAGES: PAGE,
        SYNC_INTERVAL_SECONDS: String(SYNC_INTERVAL_SECONDS),
        DATA_DIR: ':memory:',
        LOG_LEVEL: 'warn',
      },
    });
    await waitLive(gateway.url);
    const arrivals: Arrivals = new Map();
    const client = createClient({
      url: `${gateway.url.replace(/^http/, 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: AUTH.authorization },
      retryAttempts: 0,
    });
    cleanups.push(() => client.dispose());
    client.subscribe<{ customerEvents: { customerId: string } }>(
      {
        query: `subscription { customerEvents(pageId: "${PAGE}", types: [CUSTOMER_CREATED]) { customerId } }`,
      },
      {
        next: (result) => {
          if (result.data) arrived(arrivals, 'subscription', result.data.customerEvents.customerId);
        },
        error: (error) => ctx.note(`feed: subscription error ${JSON.stringify(error)}`),
        complete: () => undefined,
      },
    );
    cleanups.push(await openSse(gateway.url, arrivals));
    await sleep(500); // both followers are past their first read

    const latencies: Record<Channel, number[]> = { subscription: [], sse: [] };
    let missed = 0;
    for (let i = 0; i < INSERTS_PER_ROUND * ctx.rounds; i += 1) {
      await sleep(Math.random() * SYNC_INTERVAL_SECONDS * 1000);
      const sentAt = performance.now();
      const response = await fetch(`${sim.controlUrl}/pages/${PAGE}/customers`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ customers: [{ name: `Feed bench ${i}` }] }),
      });
      const id = ((await response.json()) as { customers: { id: string }[] }).customers[0].id;
      const giveUpAt = Date.now() + ARRIVAL_BOUND_MS;
      while (!(arrivals.get(id)?.subscription && arrivals.get(id)?.sse) && Date.now() < giveUpAt)
        await sleep(5);
      const seen = arrivals.get(id) ?? {};
      for (const channel of ['subscription', 'sse'] as const) {
        const at = seen[channel];
        if (at === undefined) missed += 1;
        else latencies[channel].push(at - sentAt);
      }
    }
    const samples = INSERTS_PER_ROUND * ctx.rounds;
    ctx.note(
      `feed: ${samples} inserts one at a time at random points of a ${SYNC_INTERVAL_SECONDS} s poll cycle; ` +
        `missed within ${ARRIVAL_BOUND_MS / 1000} s: ${missed}; ` +
        (['subscription', 'sse'] as const)
          .map(
            (c) =>
              `${c} p50 ${fmt(percentile(latencies[c], 50))} ms, max ${fmt(Math.max(...latencies[c]))} ms`,
          )
          .join('; '),
    );
    const row = (channel: Channel, label: string): Row => {
      const p99 = percentile(latencies[channel], 99);
      return {
        bench: `feed, simulator insert -> ${label}, p99`,
        figure: `${fmt(p99)} ms`,
        baseline: `p50 ${fmt(percentile(latencies[channel], 50))} ms`,
        ratio: pct(p99 / TARGET_MS),
        target: `<= ${TARGET_MS} ms (SYNC_INTERVAL_SECONDS + 1 s)`,
        met: missed === 0 && p99 <= TARGET_MS,
      };
    };
    return [row('subscription', 'graphql-ws subscriber'), row('sse', 'SSE reader')];
  } finally {
    for (const cleanup of cleanups) await cleanup();
    await gateway?.stop();
    await sim.close();
  }
}
