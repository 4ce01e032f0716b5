// memory: RSS of the gateway after 100,000 mixed requests (GraphQL and REST, cached and uncached);
// the uncached ones use 4x more distinct keys than the cache may hold, so its bound is exercised.
import { startSimulator } from '../../tools/pancake-sim/index.js';
import { AUTH, graphqlLoad, restLoad, type ListArgs, listRequests } from '../gateway-requests.js';
import { runLoad } from '../load.js';
import type { LoadRequest, LoadResult } from '../load-spec.js';
import { startGateway } from '../processes.js';
import { fmt, pct } from '../stats.js';
import type { Bench, BenchContext, Row } from '../types.js';

const TOTAL = 100_000;
const CHUNKS = 4;
const CONNECTIONS = 10;
const CACHE_MAX_ENTRIES = 5000;
/** Bounded: over the second half of the requests the live V8 heap grows by at most this share. */
const MAX_SECOND_HALF_GROWTH = 0.1;
const WINDOW = { since: '2024-01-01T00:00:00Z', until: '2026-12-31T00:00:00Z' } as const;

export const memoryBench: Bench = { name: 'memory', run };

const at = (pageId: string, pageNumber: number, pageSize: number): ListArgs => ({
  pageId,
  ...WINDOW,
  pageNumber,
  pageSize,
});
/** A window no one asked for yet (since moves a minute per use): always a cache miss. */
const fresh = (pageId: string): ListArgs => ({
  pageId,
  since: '__SEQ_MINUTE__',
  until: WINDOW.until,
  pageNumber: 1,
  pageSize: 5,
});

/** Per cycle of 10: 5 cached REST, 3 cached GraphQL, 2 uncached (one each), small pages to keep the run short. */
const CACHED: LoadRequest[] = [
  restLoad(at('111', 1, 5)),
  graphqlLoad(at('111', 1, 5)),
  restLoad(at('222', 2, 10)),
  restLoad(at('333', 3, 1)),
  graphqlLoad(at('333', 2, 1)),
  restLoad(at('111', 4, 20)),
  graphqlLoad(at('222', 3, 5)),
  restLoad(at('222', 1, 5)),
];
const UNCACHED: LoadRequest[] = [restLoad(fresh('222')), graphqlLoad(fresh('333'))];

interface Sample {
  requests: number;
  rss: number;
  /** Live heap after the latest full GC (V8 --trace-gc). */
  live: number;
  fullGcs: number;
}

async function run(ctx: BenchContext): Promise<Row[]> {
  const sim = await startSimulator({
    customersByPage: { '111': 2000, '222': 2000, '333': 2000 },
    rateLimitPerSecond: Infinity,
  });
  // --trace-gc: after every full GC V8 prints the live heap ("Mark-Compact 150.2 (180.0) -> 120.1"),
  // a steadier sign of retained memory than RSS or a heap sample taken at a random moment.
  let liveAfterFullGc = Number.NaN;
  let fullGcs = 0;
  const gateway = await startGateway({
    sim,
    nodeFlags: ['--trace-gc'],
    onStdoutLine: (line) => {
      const match = /Mark-Compact [\d.]+ \([\d.]+\) -> ([\d.]+) \(/.exec(line);
      if (!match) return;
      liveAfterFullGc = Number(match[1]) * 1024 * 1024;
      fullGcs += 1;
    },
    env: {
      CACHE_TTL_SECONDS: '600',
      CACHE_MAX_ENTRIES: String(CACHE_MAX_ENTRIES),
      PANCAKE_RATE_LIMIT_PER_SECOND: '1000',
    },
  });
  try {
    const boot = gateway.rssBytes();
    for (const request of CACHED) {
      const response = await fetch(`${gateway.url}${request.path}`, {
        method: request.method,
        headers: request.headers,
        body: request.body,
      });
      if (!response.ok)
        throw new Error(
          `memory: warm-up read answered ${response.status}: ${(await response.text()).slice(0, 300)}`,
        );
      await response.arrayBuffer();
    }
    const sample = (requests: number): Sample => ({
      requests,
      rss: gateway.rssBytes(),
      live: liveAfterFullGc,
      fullGcs,
    });
    const samples: Sample[] = [sample(0)];
    const requests = [...CACHED, ...UNCACHED];
    const loads: LoadResult[] = [];
    for (let chunk = 1; chunk <= CHUNKS; chunk += 1) {
      loads.push(
        await runLoad({
          url: gateway.url,
          connections: CONNECTIONS,
          amount: TOTAL / CHUNKS,
          requests,
        }),
      );
      samples.push(sample(loads.reduce((n, l) => n + l.requests, 0)));
    }
    const warm = samples[0];
    const half = samples[Math.floor(CHUNKS / 2)];
    const end = samples[samples.length - 1];
    const rssGrowth = (end.rss - half.rss) / half.rss;
    const heapGrowth = (end.live - half.live) / half.live;
    const upstream = listRequests(sim).length;
    const failed = loads.reduce((n, l) => n + l.non2xx + l.errors, 0);
    const cacheMetrics = await metricLines(gateway.url, /cache/i);
    ctx.note(
      `memory: ${fmt(end.requests)} requests in ${CHUNKS} chunks, ${CONNECTIONS} connections, per cycle of ${requests.length}: ` +
        `${CACHED.length} cached (REST and GraphQL, 1-20 customers) + ${UNCACHED.length} uncached (5 customers, a new window each); ` +
        `${fmt(upstream)} upstream list requests (distinct uncached keys, vs CACHE_MAX_ENTRIES=${CACHE_MAX_ENTRIES}), ${failed} failed; ` +
        `${loads.map((l) => `${fmt(l.reqPerSec)} req/s`).join(', ')}`,
    );
    ctx.note(
      `memory: RSS at boot ${mb(boot)}; RSS / live heap after the last full GC (full GCs so far) after ${samples
        .map((s) => `${fmt(s.requests)}: ${mb(s.rss)} / ${mb(s.live)} (${s.fullGcs})`)
        .join('; ')}`,
    );
    if (cacheMetrics.length > 0)
      ctx.note(`memory: cache metrics at the end: ${cacheMetrics.join('; ')}`);
    return [
      {
        bench: 'memory',
        figure: `RSS ${mb(end.rss)} after ${fmt(end.requests)} requests (${mb(half.rss)} halfway); live heap ${mb(end.live)} (${mb(half.live)} halfway)`,
        baseline: `RSS ${mb(warm.rss)} warm, before the load`,
        ratio: `RSS x${(end.rss / warm.rss).toFixed(2)}; 2nd half: RSS ${signed(rssGrowth)}, heap ${signed(heapGrowth)}`,
        target: `bounded (2nd half adds <= ${pct(MAX_SECOND_HALF_GROWTH, 0)} live heap); CACHE_MAX_ENTRIES=${CACHE_MAX_ENTRIES}`,
        met: failed === 0 && heapGrowth <= MAX_SECOND_HALF_GROWTH,
      },
    ];
  } finally {
    await gateway.stop();
    await sim.close();
  }
}

const signed = (ratio: number): string => `${ratio >= 0 ? '+' : ''}${pct(ratio)}`;

const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

async function metricsText(url: string): Promise<string> {
  try {
    return await (await fetch(`${url}/metrics`, { headers: AUTH })).text();
  } catch {
    return '';
  }
}

/** Sample lines of /metrics matching a pattern (no comments). */
async function metricLines(url: string, pattern: RegExp): Promise<string[]> {
  return (await metricsText(url))
    .split('\n')
    .filter((line) => !line.startsWith('#') && pattern.test(line))
    .slice(0, 12);
}
