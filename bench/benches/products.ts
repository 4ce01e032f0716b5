// products: the data products on 100,000 mirrored customers, on PGlite and on PostgreSQL.
// The mirror is filled through MirrorStore.apply (bench/products/mirror-fill.ts) before the
// gateway (`node dist/main.js`) starts on it. Export: rows/s of NDJSON and CSV read to the end,
// RSS growth over the export; search by phone and by name, counts of a year by day: p50, p99 of
// sequential requests.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { phonesE164Of } from '../../src/mirror/search-keys.js';
import { startSimulator } from '../../tools/pancake-sim/index.js';
import { AUTH } from '../gateway-requests.js';
import { freshPostgresDatabase } from '../postgres.js';
import { startGateway, type RunningProcess } from '../processes.js';
import { fillMirror, generateCustomers, queryPlans } from '../products/mirror-fill.js';
import { fmt, median, ms, pct, percentile, sleep } from '../stats.js';
import type { Bench, BenchContext, Row } from '../types.js';

const CUSTOMERS = 100_000;
const PAGE = '111';
const EXPORT_GOAL_ROWS_PER_S = 50_000;
const RSS_GOAL_BYTES = 50 * 1024 * 1024;
const SEARCH_GOAL_P50_MS = 5;
const COUNTS_GOAL_P50_MS = 20;
const SEARCHES = 300;
const COUNTS = 100;
export const productsBench: Bench = { name: 'products', run };

interface Target {
  kind: 'PGlite' | 'PostgreSQL';
  location: { url: string | null; dataDir: string };
  env: Record<string, string>;
  cleanUp(): Promise<void>;
}

async function pgliteTarget(): Promise<Target> {
  const dataDir = mkdtempSync(join(tmpdir(), 'pgw-products-'));
  return {
    kind: 'PGlite',
    location: { url: null, dataDir },
    env: { DATA_DIR: dataDir },
    cleanUp: async () => rmSync(dataDir, { recursive: true, force: true }),
  };
}

async function postgresTarget(): Promise<Target> {
  const database = await freshPostgresDatabase('bench_products');
  return {
    kind: 'PostgreSQL',
    location: { url: database.url, dataDir: ':memory:' },
    env: { DATABASE_URL: database.url },
    cleanUp: database.drop,
  };
}

async function run(ctx: BenchContext): Promise<Row[]> {
  const customers = generateCustomers(PAGE, CUSTOMERS);
  const rows: Row[] = [];
  for (const open of [pgliteTarget, postgresTarget]) {
    const target = await open();
    try {
      const filledIn = performance.now();
      await fillMirror(target.location, PAGE, customers);
      ctx.note(
        `products ${target.kind}: ${fmt(CUSTOMERS)} customers mirrored through MirrorStore.apply in ${fmt((performance.now() - filledIn) / 1000, 1)} s`,
      );
      for (const plan of await queryPlans(target.location, PAGE))
        ctx.note(`products ${target.kind} plan, ${plan}`);
      rows.push(...(await measure(ctx, target, customers)));
    } finally {
      await target.cleanUp();
    }
  }
  return rows;
}

async function measure(
  ctx: BenchContext,
  target: Target,
  customers: ReturnType<typeof generateCustomers>,
): Promise<Row[]> {
  const sim = await startSimulator({ pages: [PAGE], customersByPage: { [PAGE]: 0 } });
  const gateway = await startGateway({
    sim,
    env: { ...target.env, SYNC_PAGES: PAGE, LOG_LEVEL: 'warn' },
  });
  try {
    await waitLive(gateway);
    const label = (what: string): string => `products ${target.kind}: ${what}`;
    // Warm-up, as the other rows have: the first export after start also pays one-time costs
    // (JIT, the heap's first growth). Its figures are noted, not ranked.
    const warmUp = [await exportOnce(gateway, 'ndjson'), await exportOnce(gateway, 'csv')];
    ctx.note(
      `${label('warm-up exports (first after start, not ranked)')}: ${warmUp.map((r) => `${fmt(r.rowsPerSecond)} rows/s, RSS +${fmt(r.rssGrowth / 2 ** 20, 1)} MB`).join('; ')}`,
    );
    const ndjson = [];
    const csv = [];
    for (let round = 0; round < ctx.rounds; round += 1) {
      ndjson.push(await exportOnce(gateway, 'ndjson'));
      csv.push(await exportOnce(gateway, 'csv'));
    }
    for (const [format, runs] of [
      ['ndjson', ndjson],
      ['csv', csv],
    ] as const)
      ctx.note(
        `${label(`export ${format}`)} per round: ${runs.map((r) => `${fmt(r.rowsPerSecond)} rows/s, RSS +${fmt(r.rssGrowth / 2 ** 20, 1)} MB`).join('; ')}`,
      );
    const rowsPerSecond = (runs: Export[]): number => median(runs.map((r) => r.rowsPerSecond));
    const growth = Math.max(...[...ndjson, ...csv].map((r) => r.rssGrowth));
    const lines = ndjson.map((r) => r.lines);
    if (lines.some((n) => n !== CUSTOMERS + 1))
      throw new Error(`export lines: ${lines.join(', ')}`);

    // Numbers as a dashboard user types them (090 123 4567), among those that are valid.
    const withPhones = customers.filter(
      (c) =>
        c.phoneNumbers[0]?.startsWith('0') && phonesE164Of([c.phoneNumbers[0]], 'VN').length > 0,
    );
    const phoneQueries = Array.from({ length: SEARCHES }, (_, i) => {
      const phone = withPhones[(i * 7919) % withPhones.length]!.phoneNumbers[0]!;
      return `/v1/customers/search?phone=${encodeURIComponent(phone)}`;
    });
    const nameQueries = Array.from({ length: SEARCHES }, (_, i) => {
      const name = customers[(i * 104_729) % customers.length]!.name!;
      // Family and middle name: about 500 matches each, 20 returned.
      const prefix = name.split(' ').slice(0, 2).join(' ').toLowerCase();
      return `/v1/customers/search?name=${encodeURIComponent(prefix)}`;
    });
    const countQueries = Array.from({ length: COUNTS }, (_, i) => {
      const since = new Date(Date.UTC(2025, 0, 1) - 7 * 3_600_000 + (i % 30) * 86_400_000);
      const until = new Date(since.getTime() + 365 * 86_400_000);
      return `/v1/pages/${PAGE}/stats/new-customers?since=${since.toISOString()}&until=${until.toISOString()}&bucket=day`;
    });
    const phone = await latencies(
      gateway,
      phoneQueries,
      (body) => (body as { nodes: unknown[] }).nodes.length > 0,
    );
    const name = await latencies(
      gateway,
      nameQueries,
      (body) => (body as { nodes: unknown[] }).nodes.length > 0,
    );
    const counts = await latencies(
      gateway,
      countQueries,
      (body) => (body as unknown[]).length >= 365,
    );

    const exportRow = (format: string, runs: Export[]): Row => {
      const value = rowsPerSecond(runs);
      return {
        bench: label(`export ${format}, 100,000 customers`),
        figure: `${fmt(value)} rows/s (${fmt(median(runs.map((r) => r.seconds)), 2)} s)`,
        baseline: `goal ${fmt(EXPORT_GOAL_ROWS_PER_S)} rows/s`,
        ratio: pct(value / EXPORT_GOAL_ROWS_PER_S),
        target: '>= 50,000 rows/s (PostgreSQL)',
        met: target.kind === 'PostgreSQL' ? value >= EXPORT_GOAL_ROWS_PER_S : null,
      };
    };
    const latencyRow = (what: string, values: number[], goal: number): Row => {
      const p50 = percentile(values, 50);
      return {
        bench: label(what),
        figure: `p50 ${ms(p50)}, p99 ${ms(percentile(values, 99))}`,
        baseline: `goal p50 ${ms(goal, 0)}`,
        ratio: pct(p50 / goal),
        target: `p50 <= ${goal} ms`,
        met: p50 <= goal,
      };
    };
    return [
      exportRow('NDJSON', ndjson),
      exportRow('CSV', csv),
      {
        bench: label('export RSS growth (largest of all exports)'),
        figure: `+${fmt(growth / 2 ** 20, 1)} MB`,
        baseline: 'goal 50 MB',
        ratio: pct(growth / RSS_GOAL_BYTES),
        target: '< 50 MB',
        met: growth < RSS_GOAL_BYTES,
      },
      latencyRow(`search by phone (${SEARCHES} sequential)`, phone, SEARCH_GOAL_P50_MS),
      latencyRow(`search by name start (${SEARCHES} sequential)`, name, SEARCH_GOAL_P50_MS),
      latencyRow(
        `new-customer counts, a year by day (${COUNTS} sequential)`,
        counts,
        COUNTS_GOAL_P50_MS,
      ),
    ];
  } finally {
    await gateway.stop();
    await sim.close();
  }
}

async function waitLive(gateway: RunningProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const response = await fetch(`${gateway.url}/v1/pages/${PAGE}/sync`, { headers: AUTH });
    const status = (await response.json()) as { state?: string };
    if (status.state === 'LIVE') return;
    await sleep(200);
  }
  throw new Error(`page ${PAGE} did not become LIVE:\n${gateway.stderrTail()}`);
}

interface Export {
  seconds: number;
  rowsPerSecond: number;
  lines: number;
  /** Highest RSS seen during the export minus RSS before it. */
  rssGrowth: number;
}

/** One whole export read as it arrives (no decompression: identity), RSS sampled every 50 ms. */
async function exportOnce(gateway: RunningProcess, format: 'ndjson' | 'csv'): Promise<Export> {
  const before = gateway.rssBytes();
  let peak = before;
  const sampler = setInterval(() => {
    peak = Math.max(peak, gateway.rssBytes());
  }, 50);
  const started = performance.now();
  try {
    const response = await fetch(
      `${gateway.url}/v1/pages/${PAGE}/customers/export?format=${format}`,
      {
        headers: { ...AUTH, 'accept-encoding': 'identity' },
      },
    );
    if (response.status !== 200)
      throw new Error(`export ${format}: ${response.status} ${await response.text()}`);
    let lines = 0;
    for await (const chunk of response.body!) {
      const bytes = chunk as Uint8Array;
      for (let i = 0; i < bytes.length; i += 1) if (bytes[i] === 10) lines += 1;
    }
    const seconds = (performance.now() - started) / 1000;
    // CSV has a header row; NDJSON a trailer: both N + 1 lines.
    return {
      seconds,
      rowsPerSecond: (lines - 1) / seconds,
      lines,
      rssGrowth: Math.max(0, peak - before),
    };
  } finally {
    clearInterval(sampler);
  }
}

/** Client-side latency of each request, sent one after another; `ok` checks each answer. */
async function latencies(
  gateway: RunningProcess,
  paths: readonly string[],
  ok: (body: unknown) => boolean,
): Promise<number[]> {
  // Warm-up: connections, query plans, JIT.
  for (const path of paths.slice(0, 20))
    await (await fetch(`${gateway.url}${path}`, { headers: AUTH })).arrayBuffer();
  const values: number[] = [];
  for (const path of paths) {
    const started = performance.now();
    const response = await fetch(`${gateway.url}${path}`, { headers: AUTH });
    const body: unknown = await response.json();
    values.push(performance.now() - started);
    if (response.status !== 200 || !ok(body))
      throw new Error(`${path}: ${response.status} ${JSON.stringify(body).slice(0, 200)}`);
  }
  return values;
}
