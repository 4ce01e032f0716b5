// mirror: the customer mirror on both databases (PGlite in memory, then a fresh PostgreSQL
// database created for the run and dropped after), against a simulator limited to 5 req/s per
// page holding two pages of 10,000 customers. Per database, two gateways in turn, each syncing
// one page:
// - page 111: its backfill against ceil(N/100) / SYNC_MAX_REQUESTS_PER_SECOND, then
//   distinct-window reads served by the mirror (req/s against the upstream-bound rate, with
//   the simulator's log counted) and mirror read p50 against a direct read of the same 100
//   customers (from a twin simulator: same seed, no limit, so direct reads cost no slots;
//   both uncompressed, as the simulator answers);
// - page 222: cold upstream reads at 2/s while it backfills, then the same once it is live.
import { slotIntervalMs } from '../../src/pancake/limiter/reserve-slot.js';
import { startSimulator, type Simulator } from '../../tools/pancake-sim/index.js';
import {
  AUTH,
  WINDOW,
  fetchDirect,
  fetchGraphql,
  fetchRest,
  isOk,
  listRequests,
  restLoad,
  restPath,
  type Fetched,
  type ListArgs,
} from '../gateway-requests.js';
import { runLoad } from '../load.js';
import { untilLive } from '../mirror-sync.js';
import { freshPostgresDatabase, postgresUnreachable } from '../postgres.js';
import type { LoadResult } from '../load-spec.js';
import { startGateway, type RunningProcess } from '../processes.js';
import { fmt, median, ms, pct, percentile, sleep } from '../stats.js';
import type { Bench, BenchContext, Row } from '../types.js';

/** Where a fresh database is created (and dropped) for the PostgreSQL half. */
const PAGE_LIMIT = 5;
const SYNC_PER_SECOND = 2;
const BACKFILL_CUSTOMERS = 10_000;
const SCAN_PAGE_SIZE = 100;
const BACKFILL_PAGE = '111';
const WAIT_PAGE = '222';
/** A cold read on one page can go no faster than the gateway's slot spacing (210 ms at 5/s). */
const UPSTREAM_BOUND_PER_SECOND = 1000 / slotIntervalMs(PAGE_LIMIT);
const MIN_READ_RATIO = 100;
const MAX_REST_P50_RATIO = 1;
const MAX_GRAPHQL_P50_RATIO = 2;
const MIN_BACKFILL_EFFICIENCY = 0.9;
const MAX_ADDED_P99_MS = 250;
const LOAD_CONNECTIONS = 10;
const LOAD_SECONDS = 4;
const WARMUP_SECONDS = 2;
const PAIRS_PER_ROUND = 60;
const PAIRS_WARMUP = 20;
const CLIENT_READS_PER_SECOND = 2;
const BASELINE_READS = 60;
const BACKFILL_TIMEOUT_MS = 240_000;
const IDENTITY = { 'accept-encoding': 'identity' };

export const mirrorBench: Bench = { name: 'mirror', run };

interface TargetDatabase {
  name: 'PGlite' | 'PostgreSQL';
  env: Record<string, string>;
  drop(): Promise<void>;
}

async function run(ctx: BenchContext): Promise<Row[]> {
  const rows: Row[] = [];
  rows.push(...(await onDatabase(ctx, await pglite())));
  let postgres: TargetDatabase;
  try {
    postgres = await freshPostgres();
  } catch (error) {
    rows.push(postgresUnreachable('mirror (PostgreSQL)', error));
    return rows;
  }
  rows.push(...(await onDatabase(ctx, postgres)));
  return rows;
}

async function pglite(): Promise<TargetDatabase> {
  return { name: 'PGlite', env: { DATA_DIR: ':memory:' }, drop: () => Promise.resolve() };
}

/** A database of its own on the server, dropped after. */
async function freshPostgres(): Promise<TargetDatabase> {
  const database = await freshPostgresDatabase('bench_mirror');
  return { name: 'PostgreSQL', env: { DATABASE_URL: database.url }, drop: database.drop };
}

async function onDatabase(ctx: BenchContext, database: TargetDatabase): Promise<Row[]> {
  const pages = [BACKFILL_PAGE, WAIT_PAGE];
  const customersByPage = { [BACKFILL_PAGE]: BACKFILL_CUSTOMERS, [WAIT_PAGE]: BACKFILL_CUSTOMERS };
  const sim = await startSimulator({ pages, customersByPage, rateLimitPerSecond: PAGE_LIMIT });
  // Same seed and counts: the same customers, read directly without spending page 111's slots.
  const twin = await startSimulator({ pages, customersByPage, rateLimitPerSecond: Infinity });
  const gateways: RunningProcess[] = [];
  // One gateway per page, one after the other: a backfill measured alone, on its own database.
  const syncing = async (pageId: string): Promise<RunningProcess> => {
    const gateway = await startGateway({
      sim,
      env: {
        ...database.env,
        SYNC_PAGES: pageId,
        SYNC_MAX_REQUESTS_PER_SECOND: String(SYNC_PER_SECOND),
        PANCAKE_RATE_LIMIT_PER_SECOND: String(PAGE_LIMIT),
        // One delta right after the backfill, then none during the measurements: every list
        // request the simulator logs after that is a read's.
        SYNC_INTERVAL_SECONDS: '3600',
        CACHE_TTL_SECONDS: '600',
      },
    });
    gateways.push(gateway);
    return gateway;
  };
  try {
    const label = `mirror (${database.name})`;
    const first = await syncing(BACKFILL_PAGE);
    const backfill = await backfillOf(sim, first);
    ctx.note(
      `${label} backfill: ${backfill.requests} list requests (ideal ${Math.ceil(BACKFILL_CUSTOMERS / SCAN_PAGE_SIZE)}), ` +
        `${fmt(backfill.measuredMs / 1000, 1)} s from its first request to LIVE, ${backfill.upstream429} x 429, ` +
        `${backfill.customers} customers mirrored; SYNC_MAX_REQUESTS_PER_SECOND=${SYNC_PER_SECOND}, page limit ${PAGE_LIMIT}`,
    );
    const reads = await mirrorReads(ctx, label, sim, first);
    const latency = await mirrorLatency(ctx, label, twin, first);
    await first.stop();

    const second = await syncing(WAIT_PAGE);
    let live = false;
    const duringReads = clientReads(second, Number.MAX_SAFE_INTEGER, () => live);
    await untilLive(second, WAIT_PAGE, BACKFILL_TIMEOUT_MS);
    live = true;
    const during = await duringReads;
    const baseline = await clientReads(second, BASELINE_READS, () => false);
    ctx.note(
      `${label} client reads (page ${WAIT_PAGE}, REST, source=upstream, cold, ${CLIENT_READS_PER_SECOND}/s): during its backfill ` +
        `${during.length} reads, p50 ${ms(percentile(during, 50))} p99 ${ms(percentile(during, 99))}; ` +
        `after it ${baseline.length} reads, p50 ${ms(percentile(baseline, 50))} p99 ${ms(percentile(baseline, 99))}`,
    );
    const ideal = Math.ceil(BACKFILL_CUSTOMERS / SCAN_PAGE_SIZE) / SYNC_PER_SECOND;
    const efficiency = ideal / (backfill.measuredMs / 1000);
    return [
      reads,
      ...latency,
      {
        bench: `${label}, backfill of ${fmt(BACKFILL_CUSTOMERS)} customers`,
        figure: `${fmt(backfill.measuredMs / 1000, 1)} s, ${backfill.upstream429} x 429`,
        baseline: `ideal ${fmt(ideal, 1)} s at ${SYNC_PER_SECOND}/s`,
        ratio: pct(efficiency),
        target: `>= ${pct(MIN_BACKFILL_EFFICIENCY, 0)}, 0 x 429`,
        met:
          backfill.customers === BACKFILL_CUSTOMERS &&
          backfill.upstream429 === 0 &&
          efficiency >= MIN_BACKFILL_EFFICIENCY,
      },
      waitRow(label, during, baseline),
    ];
  } finally {
    for (const gateway of gateways) await gateway.stop();
    await twin.close();
    await sim.close();
    await database.drop();
  }
}

interface BackfillFigures {
  /** From the backfill's first list request (simulator log) to LIVE (polled every 50 ms). */
  measuredMs: number;
  requests: number;
  upstream429: number;
  customers: number;
}

async function backfillOf(sim: Simulator, gateway: RunningProcess): Promise<BackfillFigures> {
  const status = await untilLive(gateway, BACKFILL_PAGE, BACKFILL_TIMEOUT_MS);
  const liveAt = Date.now();
  const log = listRequests(sim, BACKFILL_PAGE);
  const first = log[0]?.receivedAt ?? liveAt;
  const backfill = log.filter((e) => e.receivedAt <= liveAt);
  return {
    measuredMs: liveAt - first,
    requests: backfill.length,
    upstream429: backfill.filter((e) => e.status === 429).length,
    customers: status.customers,
  };
}

let readSeq = 0;

/**
 * Cold reads of WAIT_PAGE through the gateway at CLIENT_READS_PER_SECOND, each its own window
 * (source=upstream), until `count` or `stop()`; returns the latencies of those that ended
 * before stop() turned true. Fails on any answer that is not a 200 from upstream.
 */
async function clientReads(
  gateway: RunningProcess,
  count: number,
  stop: () => boolean,
): Promise<number[]> {
  const started = Date.now();
  const pending: Promise<number | null>[] = [];
  for (let k = 0; k < count && !stop(); k += 1) {
    await sleep(started + (k * 1000) / CLIENT_READS_PER_SECOND - Date.now());
    if (stop()) break;
    readSeq += 1;
    const args: ListArgs = {
      pageId: WAIT_PAGE,
      since: new Date(Date.UTC(2024, 0, 1) + readSeq * 60_000).toISOString(),
      until: WINDOW.until,
      pageSize: 100,
      source: 'upstream',
    };
    pending.push(
      (async () => {
        const t0 = performance.now();
        const fetched = await fetchRest(gateway.url, args);
        const elapsed = performance.now() - t0;
        if (!isOk(fetched))
          throw new Error(
            `client read failed: ${fetched.status} ${fetched.body.toString().slice(0, 300)}`,
          );
        return stop() ? null : elapsed;
      })(),
    );
  }
  return (await Promise.all(pending)).filter((v): v is number => v !== null);
}

function waitRow(label: string, during: number[], baseline: number[]): Row {
  const added = percentile(during, 99) - percentile(baseline, 99);
  return {
    bench: `${label}, client read p99 added by a backfill`,
    figure: `+${ms(added)} (p99 ${ms(percentile(during, 99))}, ${during.length} reads)`,
    baseline: `p99 ${ms(percentile(baseline, 99))} without (${baseline.length} reads)`,
    ratio: '',
    target: `<= ${MAX_ADDED_P99_MS} ms`,
    met: during.length >= 20 && added <= MAX_ADDED_P99_MS,
  };
}

/** Distinct windows (since moves a minute per request) served by the mirror, under load. */
async function mirrorReads(
  ctx: BenchContext,
  label: string,
  sim: Simulator,
  gateway: RunningProcess,
): Promise<Row> {
  const args: ListArgs = {
    pageId: BACKFILL_PAGE,
    since: '__SEQ_MINUTE__',
    until: WINDOW.until,
    pageSize: 100,
    source: 'mirror',
  };
  const probe = await fetch(`${gateway.url}${restPath({ ...args, since: WINDOW.since })}`, {
    headers: AUTH,
  });
  await probe.arrayBuffer();
  if (probe.status !== 200 || probe.headers.get('x-data-source') !== 'mirror')
    throw new Error(
      `mirror read: ${probe.status}, X-Data-Source ${probe.headers.get('x-data-source')}`,
    );
  const load = (durationSec: number): Promise<LoadResult> =>
    runLoad({
      url: gateway.url,
      connections: LOAD_CONNECTIONS,
      durationSec,
      requests: [restLoad(args)],
    });
  await load(WARMUP_SECONDS);
  const before = listRequests(sim, BACKFILL_PAGE).length;
  const results: LoadResult[] = [];
  for (let round = 0; round < ctx.rounds; round += 1) results.push(await load(LOAD_SECONDS));
  const upstream = listRequests(sim, BACKFILL_PAGE).length - before;
  const rps = median(results.map((r) => r.reqPerSec));
  const clean = results.every((r) => r.non2xx === 0 && r.errors === 0 && r.timeouts === 0);
  ctx.note(
    `${label} distinct-window reads (REST, source=mirror, ${LOAD_CONNECTIONS} connections, ${LOAD_SECONDS} s per round): ` +
      results
        .map((r) => `${fmt(r.reqPerSec)} req/s p50 ${ms(r.p50)} ${JSON.stringify(r.statusCounts)}`)
        .join('; ') +
      `; upstream list requests during the loads: ${upstream}`,
  );
  const ratio = rps / UPSTREAM_BOUND_PER_SECOND;
  return {
    bench: `${label}, distinct-window reads served by the mirror`,
    figure: `${fmt(rps)} req/s, ${upstream} upstream`,
    baseline: `${fmt(UPSTREAM_BOUND_PER_SECOND, 2)} req/s upstream-bound`,
    ratio: `x${fmt(ratio, 1)}`,
    target: `>= x${MIN_READ_RATIO}, 0 upstream`,
    met: clean && upstream === 0 && ratio >= MIN_READ_RATIO,
  };
}

/** Sequential pairs on the same 100 customers: direct (twin simulator) and mirror, alternating. */
async function mirrorLatency(
  ctx: BenchContext,
  label: string,
  twin: Simulator,
  gateway: RunningProcess,
): Promise<Row[]> {
  const args: ListArgs = { pageId: BACKFILL_PAGE, ...WINDOW, pageNumber: 1, pageSize: 100 };
  const mirrored: ListArgs = { ...args, source: 'mirror' };
  await sameCustomers(twin, gateway, args);
  const rows: Row[] = [];
  for (const transport of ['rest', 'graphql'] as const) {
    // Uncompressed, as the twin answers: fetch asks for gzip by default, and the client's
    // gunzip of a 100-customer page is not the gateway's latency (about 0.6 ms here).
    const viaGateway = (): Promise<Fetched> =>
      transport === 'rest'
        ? fetchRest(gateway.url, mirrored, IDENTITY)
        : fetchGraphql(gateway.url, mirrored, IDENTITY);
    const direct = (): Promise<Fetched> => fetchDirect(twin, args);
    await pairs(direct, viaGateway, PAIRS_WARMUP);
    const directP50: number[] = [];
    const mirrorP50: number[] = [];
    for (let round = 0; round < ctx.rounds; round += 1) {
      const result = await pairs(direct, viaGateway, PAIRS_PER_ROUND);
      directP50.push(percentile(result.direct, 50));
      mirrorP50.push(percentile(result.through, 50));
    }
    ctx.note(
      `${label} ${transport} read of 100 customers, p50 per round: mirror ${mirrorP50.map((v) => v.toFixed(2)).join(', ')} ms; ` +
        `direct ${directP50.map((v) => v.toFixed(2)).join(', ')} ms (${PAIRS_PER_ROUND} sequential pairs per round, both uncompressed)`,
    );
    const ratio = median(mirrorP50) / median(directP50);
    const limit = transport === 'rest' ? MAX_REST_P50_RATIO : MAX_GRAPHQL_P50_RATIO;
    rows.push({
      bench: `${label}, ${transport === 'rest' ? 'REST' : 'GraphQL'} mirror read p50 vs direct`,
      figure: `p50 ${ms(median(mirrorP50))}`,
      baseline: `p50 ${ms(median(directP50))} direct`,
      ratio: pct(ratio),
      target: `<= ${pct(limit, 0)}`,
      met: ratio <= limit,
    });
  }
  return rows;
}

/** The mirror's page and the twin's page hold the same customers in the same order. */
async function sameCustomers(twin: Simulator, gateway: RunningProcess, args: ListArgs) {
  const direct = JSON.parse((await fetchDirect(twin, args)).body.toString()) as {
    customers: { id: string }[];
  };
  const mirrored = await fetchRest(gateway.url, { ...args, source: 'mirror' });
  if (!isOk(mirrored)) throw new Error(`mirror read failed: ${mirrored.status}`);
  const nodes = (JSON.parse(mirrored.body.toString()) as { nodes: { id: string }[] }).nodes;
  const ids = (list: { id: string }[]) => list.map((c) => c.id).join(',');
  if (nodes.length !== 100 || ids(nodes) !== ids(direct.customers))
    throw new Error('the mirror and the direct read do not hold the same 100 customers');
}

async function timed(call: () => Promise<Fetched>): Promise<number> {
  const start = performance.now();
  const fetched = await call();
  const elapsed = performance.now() - start;
  if (!isOk(fetched))
    throw new Error(`read failed: ${fetched.status} ${fetched.body.toString().slice(0, 300)}`);
  return elapsed;
}

async function pairs(
  direct: () => Promise<Fetched>,
  viaGateway: () => Promise<Fetched>,
  n: number,
): Promise<{ direct: number[]; through: number[] }> {
  const out = { direct: [] as number[], through: [] as number[] };
  for (let i = 0; i < n; i += 1) {
    if (i % 2 === 0) {
      out.direct.push(await timed(direct));
      out.through.push(await timed(viaGateway));
    } else {
      out.through.push(await timed(viaGateway));
      out.direct.push(await timed(direct));
    }
  }
  return out;
}
