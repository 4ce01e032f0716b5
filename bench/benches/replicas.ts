// replicas: 3 gateway processes sharing one Redis, 3x the limit of distinct uncached reads on
// one page; the simulator's arrival log must never show more than the limit in any 1000 ms.
import { Redis } from 'ioredis';
import { maxPerWindow } from '../../src/pancake/limiter/max-per-window.js';
import { startSimulator } from '../../tools/pancake-sim/index.js';
import { fetchRest, listRequests } from '../gateway-requests.js';
import { startGateway, type RunningProcess } from '../processes.js';
import { fmt, median, pct, sleep } from '../stats.js';
import type { Bench, BenchContext, Row } from '../types.js';

/** DB 5 keeps the bench away from anything else on this Redis; only pgw:* keys there are deleted. */
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/5';
const KEY_PREFIX = 'pgw:';
const REPLICAS = 3;
const LIMIT = 5;
const DEMAND_PER_SECOND = 3 * LIMIT;
const LOAD_MS = 10_000;

export const replicasBench: Bench = { name: 'replicas', run };

interface RoundFigures {
  pageId: string;
  maxWindow: number;
  rate: number;
  upstream: number;
  upstream429: number;
}

async function run(ctx: BenchContext): Promise<Row[]> {
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1, lazyConnect: true });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    redis.disconnect();
    const reason = error instanceof Error ? error.message : String(error);
    return [
      {
        bench: 'replicas',
        figure: `not run: Redis unreachable at ${REDIS_URL} (${reason})`,
        baseline: '',
        ratio: '',
        target: '',
        met: false,
      },
    ];
  }
  // One page per round: a round's queued tail cannot leak into the next round's page.
  const pages = Array.from({ length: ctx.rounds }, (_, i) => String(111 * (i + 1)));
  const sim = await startSimulator({ pages, customers: 250, rateLimitPerSecond: LIMIT });
  const gateways: RunningProcess[] = [];
  const outstanding: Promise<number>[] = [];
  try {
    await deletePrefix(redis, KEY_PREFIX);
    gateways.push(
      ...(await Promise.all(
        Array.from({ length: REPLICAS }, () =>
          startGateway({ sim, env: { REDIS_URL, CACHE_TTL_SECONDS: '600' } }),
        ),
      )),
    );
    const loadWindows: {
      pageId: string;
      start: number;
      end: number;
      answers: Promise<number>[];
    }[] = [];
    for (const pageId of pages) {
      const answers: Promise<number>[] = [];
      const start = Date.now();
      const total = (DEMAND_PER_SECOND * LOAD_MS) / 1000;
      for (let k = 0; k < total; k += 1) {
        await sleep(start + (k * 1000) / DEMAND_PER_SECOND - Date.now());
        // Distinct pageNumber per request: every one is a cache miss, round-robin over replicas.
        const gateway = gateways[k % REPLICAS];
        const answer = fetchRest(gateway.url, {
          pageId,
          since: '2024-01-01T00:00:00Z',
          until: '2026-12-31T00:00:00Z',
          pageNumber: k + 1,
          pageSize: 10,
        })
          .then((f) => f.status)
          .catch(() => 0);
        answers.push(answer);
      }
      loadWindows.push({ pageId, start, end: Date.now(), answers });
      outstanding.push(...answers);
    }
    // Let every queued request finish (or be refused), so the logs hold each page's whole tail.
    await Promise.race([Promise.all(outstanding), sleep(15_000)]);

    const figures: RoundFigures[] = [];
    for (const [round, w] of loadWindows.entries()) {
      const log = listRequests(sim, w.pageId);
      const arrivals = log.map((e) => e.receivedAt).sort((a, b) => a - b);
      const inLoad = arrivals.filter((t) => t <= w.end);
      const rate =
        inLoad.length > 1
          ? ((inLoad.length - 1) * 1000) / (inLoad[inLoad.length - 1] - inLoad[0])
          : 0;
      const statuses = await Promise.all(w.answers);
      const byStatus = countBy(statuses);
      const f: RoundFigures = {
        pageId: w.pageId,
        maxWindow: maxPerWindow(arrivals),
        rate,
        upstream: arrivals.length,
        upstream429: log.filter((e) => e.status === 429).length,
      };
      figures.push(f);
      ctx.note(
        `replicas round ${round + 1} (page ${w.pageId}): ${w.answers.length} client reads at ${DEMAND_PER_SECOND}/s over ${REPLICAS} replicas; ` +
          `${f.upstream} upstream requests, max ${f.maxWindow} in any 1000 ms, ${f.rate.toFixed(2)} req/s during the load, ` +
          `${f.upstream429} x 429 upstream; client answers by status ${JSON.stringify(byStatus)}`,
      );
    }
    const worstWindow = Math.max(...figures.map((f) => f.maxWindow));
    const rate = median(figures.map((f) => f.rate));
    const total429 = figures.reduce((n, f) => n + f.upstream429, 0);
    return [
      {
        bench: 'replicas (max per 1000 ms)',
        figure: `${worstWindow} (worst round), ${total429} x 429`,
        baseline: `limit ${LIMIT}`,
        ratio: pct(worstWindow / LIMIT, 0),
        target: `<= ${LIMIT} in every 1000 ms window, 0 x 429`,
        met: worstWindow <= LIMIT && total429 === 0,
      },
      {
        bench: 'replicas (upstream rate)',
        figure: `${fmt(rate, 2)} req/s`,
        baseline: `${LIMIT} req/s`,
        ratio: pct(rate / LIMIT),
        target: '>= 90 % of the limit',
        met: rate / LIMIT >= 0.9,
      },
    ];
  } finally {
    for (const g of gateways) await g.stop();
    await sim.close();
    await deletePrefix(redis, KEY_PREFIX).catch(() => undefined);
    redis.disconnect();
  }
}

function countBy(values: number[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const v of values) counts[String(v)] = (counts[String(v)] ?? 0) + 1;
  return counts;
}

/** SCAN + DEL of one prefix in the bench's DB only (never FLUSHDB). */
async function deletePrefix(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    if (keys.length > 0) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
}
