// full-export: every customer of a 10,000-customer page, pageSize 100, at the real limit (5/s).
// Through the gateway (3 concurrent page fetches) vs the physical limit and vs the article's
// client (sequential pages, 300 ms pauses, straight at upstream), each on its own simulator.
import { maxPerWindow } from '../../src/pancake/limiter/max-per-window.js';
import { startSimulator, type Simulator } from '../../tools/pancake-sim/index.js';
import {
  fetchDirect,
  fetchRest,
  orNetworkError,
  type Fetched,
  type ListArgs,
  listRequests,
} from '../gateway-requests.js';
import { startGateway, type RunningProcess } from '../processes.js';
import { fmt, median, pct, sleep } from '../stats.js';
import type { Bench, BenchContext, Row } from '../types.js';

const CUSTOMERS = 10_000;
const PAGE_SIZE = 100;
const LIMIT = 5;
const GATEWAY_CONCURRENCY = 3;
const ARTICLE_PAUSE_MS = 300;
const PHYSICAL_LIMIT_S = Math.ceil(CUSTOMERS / PAGE_SIZE) / LIMIT;

export const fullExportBench: Bench = { name: 'full-export', run };

interface Export {
  seconds: number;
  customers: number;
  requests: number;
  upstream429: number;
  /** Most upstream arrivals in any 1000 ms, and the shortest gap between two, ms. */
  maxWindow: number;
  minGapMs: number;
  clientErrors: number;
  /** The first few failed client calls: status and the start of the body. */
  failures: string[];
}

async function run(ctx: BenchContext): Promise<Row[]> {
  const options = {
    pages: ['111'],
    customersByPage: { '111': CUSTOMERS },
    rateLimitPerSecond: LIMIT,
  };
  const gatewaySim = await startSimulator(options);
  // The article's client is slow and nearly idle (it sleeps), so its rounds run side by side with
  // the gateway's, each on a simulator of its own: no shared rate window, a shorter run.
  const articleSims = await Promise.all(
    Array.from({ length: ctx.rounds }, () => startSimulator(options)),
  );
  const gateway = await startGateway({ sim: gatewaySim, env: { CACHE_TTL_SECONDS: '600' } });
  try {
    const windowOf = (round: number): { since: string; until: string } => ({
      since: new Date(Date.UTC(2023, 0, 1) + round * 3_600_000).toISOString(),
      until: '2026-12-31T00:00:00.000Z',
    });
    const articleRuns = Promise.all(
      articleSims.map((sim, round) => exportLikeTheArticle(sim, windowOf(round))),
    );
    articleRuns.catch(() => undefined); // awaited below; no unhandled rejection if a gateway round throws
    const viaGateway: Export[] = [];
    for (let round = 0; round < ctx.rounds; round += 1) {
      gatewaySim.clearLog();
      await sleep(1100); // the previous round's rate window has passed
      // A window of its own per round, so the gateway's cache holds nothing of it.
      viaGateway.push(await exportThroughGateway(gateway, gatewaySim, windowOf(round)));
    }
    const article = await articleRuns;
    for (let round = 0; round < ctx.rounds; round += 1)
      for (const [label, e] of [
        ['gateway', viaGateway[round]],
        ['article client', article[round]],
      ] as const)
        ctx.note(
          `full-export round ${round + 1} ${label}: ${e.seconds.toFixed(2)} s, ${e.customers} distinct customers, ` +
            `${e.requests} upstream requests (max ${e.maxWindow} in any 1000 ms, shortest gap ${e.minGapMs} ms), ` +
            `${e.upstream429} x 429 upstream, ${e.clientErrors} failed client calls` +
            (e.failures.length > 0 ? ` (${e.failures.join('; ')})` : ''),
        );
    const gwSeconds = median(viaGateway.map((e) => e.seconds));
    const articleSeconds = median(article.map((e) => e.seconds));
    const worst429 = Math.max(...viaGateway.map((e) => e.upstream429));
    const complete = viaGateway.every((e) => e.customers === CUSTOMERS && e.clientErrors === 0);
    ctx.note(
      `full-export: physical limit = ${Math.ceil(CUSTOMERS / PAGE_SIZE)} requests / ${LIMIT} per s = ${PHYSICAL_LIMIT_S} s; ` +
        `gateway client: ${GATEWAY_CONCURRENCY} concurrent REST page fetches after page 1; ` +
        `the article client's rounds ran concurrently with the gateway's, each on its own simulator`,
    );
    return [
      {
        bench: 'full-export (vs limit)',
        figure: `${fmt(gwSeconds, 2)} s, ${worst429} x 429`,
        baseline: `${PHYSICAL_LIMIT_S} s (${Math.ceil(CUSTOMERS / PAGE_SIZE)} req at ${LIMIT}/s)`,
        ratio: pct(PHYSICAL_LIMIT_S / gwSeconds),
        target: '>= 95 % of the limit, 0 x 429',
        met: complete && worst429 === 0 && PHYSICAL_LIMIT_S / gwSeconds >= 0.95,
      },
      {
        bench: 'full-export (vs article)',
        figure: `${fmt(gwSeconds, 2)} s`,
        baseline: `${fmt(articleSeconds, 2)} s (sequential, ${ARTICLE_PAUSE_MS} ms pauses, ${Math.max(...article.map((e) => e.upstream429))} x 429)`,
        ratio: `x${(articleSeconds / gwSeconds).toFixed(2)} faster`,
        target: 'faster than the article client',
        met: complete && gwSeconds < articleSeconds,
      },
    ];
  } finally {
    await gateway.stop();
    await gatewaySim.close();
    for (const sim of articleSims) await sim.close();
  }
}

function upstreamOutcome(
  sim: Simulator,
): Pick<Export, 'requests' | 'upstream429' | 'maxWindow' | 'minGapMs'> {
  const log = listRequests(sim, '111');
  const arrivals = log.map((e) => e.receivedAt).sort((a, b) => a - b);
  return {
    requests: log.length,
    upstream429: log.filter((e) => e.status === 429).length,
    maxWindow: maxPerWindow(arrivals),
    minGapMs: Math.min(...arrivals.slice(1).map((t, i) => t - arrivals[i])),
  };
}

interface PageBody {
  total: number;
  hasNextPage: boolean;
  nodes: { id: string }[];
}

async function exportThroughGateway(
  gateway: RunningProcess,
  sim: Simulator,
  window: { since: string; until: string },
): Promise<Export> {
  const start = performance.now();
  const ids = new Set<string>();
  let clientErrors = 0;
  const failures: string[] = [];
  const page = async (pageNumber: number): Promise<PageBody | undefined> => {
    const args: ListArgs = { pageId: '111', ...window, pageNumber, pageSize: PAGE_SIZE };
    for (let attempt = 1; attempt <= 5; attempt += 1) {
      const fetched = await orNetworkError(() => fetchRest(gateway.url, args));
      const exited = gateway.exited();
      if (exited !== null)
        throw new Error(`the gateway exited (${exited}): ${gateway.stderrTail().slice(-600)}`);
      if (fetched.status === 200) {
        const body = JSON.parse(fetched.body.toString('utf8')) as PageBody;
        for (const node of body.nodes) ids.add(node.id);
        return body;
      }
      clientErrors += 1;
      if (failures.length < 3) failures.push(describe(fetched));
      await sleep(1000 * attempt);
    }
    return undefined;
  };
  const first = await page(1);
  const pages = Math.ceil((first?.total ?? 0) / PAGE_SIZE);
  let next = 2;
  const worker = async (): Promise<void> => {
    while (next <= pages) {
      const pageNumber = next;
      next += 1;
      await page(pageNumber);
    }
  };
  await Promise.all(Array.from({ length: GATEWAY_CONCURRENCY }, worker));
  const seconds = (performance.now() - start) / 1000;
  return { seconds, customers: ids.size, clientErrors, failures, ...upstreamOutcome(sim) };
}

interface RawPage {
  total?: number;
  customers?: { id: string }[];
}

/** The article's advice: one page at a time, a 300 ms pause between pages, retry after a pause. */
async function exportLikeTheArticle(
  sim: Simulator,
  window: { since: string; until: string },
): Promise<Export> {
  const start = performance.now();
  const ids = new Set<string>();
  let clientErrors = 0;
  const failures: string[] = [];
  let pageNumber = 1;
  for (;;) {
    const fetched = await orNetworkError(() =>
      fetchDirect(sim, { pageId: '111', ...window, pageNumber, pageSize: PAGE_SIZE }),
    );
    if (fetched.status !== 200) {
      clientErrors += 1;
      if (failures.length < 3) failures.push(describe(fetched));
      if (clientErrors > 50) throw new Error(`the article client gave up: ${failures.join('; ')}`);
      await sleep(ARTICLE_PAUSE_MS);
      continue;
    }
    const body = JSON.parse(fetched.body.toString('utf8')) as RawPage;
    for (const customer of body.customers ?? []) ids.add(customer.id);
    if (pageNumber * PAGE_SIZE >= (body.total ?? 0)) break;
    pageNumber += 1;
    await sleep(ARTICLE_PAUSE_MS);
  }
  const seconds = (performance.now() - start) / 1000;
  return { seconds, customers: ids.size, clientErrors, failures, ...upstreamOutcome(sim) };
}

const describe = (fetched: Fetched): string =>
  `${fetched.status} ${fetched.body.toString('utf8').slice(0, 160)}`;
