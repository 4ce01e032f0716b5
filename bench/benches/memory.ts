// memory: RSS of the gateway after 100,000 mixed requests (GraphQL and REST, cached and uncached);
// the uncached ones use 4x more distinct keys than the cache may hold, so its bound is exercised.
// Then 1,200 distinct windows of 100 customers (issue 11: RSS 366 MiB after ~250 of them): RSS,
// live heap, and the bytes the caches are accounted for (gateway_cache_bytes) against CACHE_MAX_BYTES.
import { startSimulator } from '../../tools/pancake-sim/index.js';
import {
  AUTH,
  fetchGraphql,
  fetchRest,
  graphqlLoad,
  isOk,
  restLoad,
  type ListArgs,
  listRequests,
} from '../gateway-requests.js';
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
/** The default CACHE_MAX_BYTES (64 MiB), set explicitly so the figures say what they measured. */
const CACHE_MAX_BYTES = 64 * 1024 * 1024;
const DISTINCT_WINDOWS = 1200;
const WINDOWS_PER_SAMPLE = 300;

export const memoryBench: Bench = {
  name: 'memory',
  run: async (ctx) => [await mixed(ctx), await distinctWindows(ctx)],
};

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

async function mixed(ctx: BenchContext): Promise<Row> {
  const sim = await startSimulator({
    customersByPage: { '111': 2000, '222': 2000, '333': 2000 },
    rateLimitPerSecond: Infinity,
  });
  const gc = fullGcWatcher();
  const gateway = await startGateway({
    sim,
    nodeFlags: ['--trace-gc'],
    onStdoutLine: gc.onLine,
    env: {
      CACHE_TTL_SECONDS: '600',
      CACHE_MAX_ENTRIES: String(CACHE_MAX_ENTRIES),
      CACHE_MAX_BYTES: String(CACHE_MAX_BYTES),
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
      live: gc.live(),
      fullGcs: gc.fullGcs(),
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
    const accounted = await cacheBytes(gateway.url);
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
    return {
      bench: 'memory',
      figure: `RSS ${mb(end.rss)} after ${fmt(end.requests)} requests (${mb(half.rss)} halfway); live heap ${mb(end.live)} (${mb(half.live)} halfway); cache ${describeBytes(accounted)}`,
      baseline: `RSS ${mb(warm.rss)} warm, before the load`,
      ratio: `RSS x${(end.rss / warm.rss).toFixed(2)}; 2nd half: RSS ${signed(rssGrowth)}, heap ${signed(heapGrowth)}`,
      target: `bounded (2nd half adds <= ${pct(MAX_SECOND_HALF_GROWTH, 0)} live heap); cache <= CACHE_MAX_BYTES`,
      met:
        failed === 0 &&
        heapGrowth <= MAX_SECOND_HALF_GROWTH &&
        accounted.total > 0 &&
        accounted.total <= CACHE_MAX_BYTES,
    };
  } finally {
    await gateway.stop();
    await sim.close();
  }
}

/**
 * 1,200 distinct windows of 100 customers (pages 1-1,200 of 120,000 customers: distinct keys and
 * distinct customers), alternately GraphQL and REST, each read once: about 4x what the read share
 * of the budget holds. RSS, live heap and accounted cache bytes after every 300 windows.
 */
async function distinctWindows(ctx: BenchContext): Promise<Row> {
  const sim = await startSimulator({
    customersByPage: { '111': DISTINCT_WINDOWS * 100 },
    rateLimitPerSecond: Infinity,
  });
  const gc = fullGcWatcher();
  const gateway = await startGateway({
    sim,
    nodeFlags: ['--trace-gc'],
    onStdoutLine: gc.onLine,
    env: {
      CACHE_TTL_SECONDS: '600',
      CACHE_MAX_BYTES: String(CACHE_MAX_BYTES),
      PANCAKE_RATE_LIMIT_PER_SECOND: '1000',
    },
  });
  try {
    const boot = gateway.rssBytes();
    const samples: { windows: number; rss: number; live: number; cache: CacheBytes }[] = [];
    let failed = 0;
    let most = 0;
    for (let i = 1; i <= DISTINCT_WINDOWS; i += 1) {
      const args = { pageId: '111', ...WINDOW, pageNumber: i, pageSize: 100 };
      if (!isOk(await (i % 2 === 0 ? fetchRest : fetchGraphql)(gateway.url, args))) failed += 1;
      if (i % 50 !== 0) continue;
      const cache = await cacheBytes(gateway.url);
      most = Math.max(most, cache.total);
      if (i % WINDOWS_PER_SAMPLE === 0)
        samples.push({ windows: i, rss: gateway.rssBytes(), live: gc.live(), cache });
    }
    const half = samples[samples.length / 2 - 1];
    const end = samples[samples.length - 1];
    const heapGrowth = (end.live - half.live) / half.live;
    ctx.note(
      `memory, distinct windows: ${fmt(DISTINCT_WINDOWS)} windows of 100 customers (GraphQL and REST), ` +
        `${fmt(listRequests(sim).length)} upstream list requests, ${failed} failed; RSS at boot ${mb(boot)}; ` +
        samples
          .map(
            (s) =>
              `after ${fmt(s.windows)}: RSS ${mb(s.rss)}, live heap ${mb(s.live)}, cache ${describeBytes(s.cache)}`,
          )
          .join('; ') +
        `; cache at most ${mb(most)} (sampled every 50 windows)`,
    );
    return {
      bench: 'memory, distinct windows',
      figure: `RSS ${mb(end.rss)} after ${fmt(DISTINCT_WINDOWS)} windows of 100 (${mb(samples[0].rss)} after ${fmt(samples[0].windows)}); live heap ${mb(end.live)} (${mb(half.live)} halfway); cache ${describeBytes(end.cache)}`,
      baseline: `RSS ${mb(boot)} at boot`,
      ratio: `cache at most ${pct(most / CACHE_MAX_BYTES)} of CACHE_MAX_BYTES; 2nd half: heap ${signed(heapGrowth)}`,
      target: `cache <= CACHE_MAX_BYTES; 2nd half adds <= ${pct(MAX_SECOND_HALF_GROWTH, 0)} live heap`,
      met:
        failed === 0 && most > 0 && most <= CACHE_MAX_BYTES && heapGrowth <= MAX_SECOND_HALF_GROWTH,
    };
  } finally {
    await gateway.stop();
    await sim.close();
  }
}

/**
 * --trace-gc: after every full GC V8 prints the live heap ("Mark-Compact 150.2 (180.0) -> 120.1"),
 * a steadier sign of retained memory than RSS or a heap sample taken at a random moment.
 */
function fullGcWatcher() {
  let live = Number.NaN;
  let count = 0;
  return {
    onLine: (line: string): void => {
      const match = /Mark-Compact [\d.]+ \([\d.]+\) -> ([\d.]+) \(/.exec(line);
      if (!match) return;
      live = Number(match[1]) * 1024 * 1024;
      count += 1;
    },
    /** Bytes live after the latest full GC. */
    live: (): number => live,
    fullGcs: (): number => count,
  };
}

interface CacheBytes {
  total: number;
  byKind: Record<string, number>;
}

/** gateway_cache_bytes by kind, and their sum. */
async function cacheBytes(url: string): Promise<CacheBytes> {
  const byKind: Record<string, number> = {};
  for (const match of (await metricsText(url)).matchAll(
    /^gateway_cache_bytes\{kind="(\w+)"\} (\d+)$/gm,
  )) {
    byKind[match[1]] = Number(match[2]);
  }
  return { total: Object.values(byKind).reduce((sum, n) => sum + n, 0), byKind };
}

const describeBytes = (bytes: CacheBytes): string =>
  `${mb(bytes.total)} of ${mb(CACHE_MAX_BYTES)} (${Object.entries(bytes.byKind)
    .map(([kind, n]) => `${kind} ${mb(n)}`)
    .join(', ')})`;

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
