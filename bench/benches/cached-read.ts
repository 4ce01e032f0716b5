// cached-read-graphql / cached-read-rest: a warm 100-customer page through the gateway vs a bare
// node:http server answering the very bytes the gateway returned, rounds interleaved.
import { startSimulator } from '../../tools/pancake-sim/index.js';
import {
  WINDOW,
  fetchGraphql,
  fetchRest,
  graphqlLoad,
  isOk,
  restLoad,
  type Fetched,
  type ListArgs,
  listRequests,
} from '../gateway-requests.js';
import { runLoad } from '../load.js';
import type { LoadRequest, LoadResult } from '../load-spec.js';
import { startBareServer, startGateway, type RunningProcess } from '../processes.js';
import { fmt, median, ms, pct } from '../stats.js';
import type { Bench, BenchContext, Row } from '../types.js';

const CONNECTIONS = 10;
const ROUND_SECONDS = 4;
const WARMUP_SECONDS = 2;

type Transport = 'graphql' | 'rest';

export function cachedReadBench(transport: Transport, targetRatio: number): Bench {
  const name = `cached-read-${transport}`;
  return { name, run: (ctx) => run(name, transport, targetRatio, ctx) };
}

async function run(
  name: string,
  transport: Transport,
  targetRatio: number,
  ctx: BenchContext,
): Promise<Row[]> {
  const sim = await startSimulator({ customers: 250 });
  const processes: RunningProcess[] = [];
  try {
    const gateway = await startGateway({ sim, env: { CACHE_TTL_SECONDS: '600' } });
    processes.push(gateway);
    const args: ListArgs = { pageId: '111', ...WINDOW, pageNumber: 1, pageSize: 100 };
    const read = (): Promise<Fetched> =>
      transport === 'graphql' ? fetchGraphql(gateway.url, args) : fetchRest(gateway.url, args);
    await read(); // miss: fills the cache
    const captured = await read();
    if (!isOk(captured))
      throw new Error(
        `${name}: the gateway answered ${captured.status}: ${captured.body.toString().slice(0, 300)}`,
      );
    const nodes = countNodes(captured, transport);
    const bare = await startBareServer(captured.body, captured.contentType);
    processes.push(bare);
    const request: LoadRequest = transport === 'graphql' ? graphqlLoad(args) : restLoad(args);
    const load = (url: string, durationSec: number): Promise<LoadResult> =>
      runLoad({ url, connections: CONNECTIONS, durationSec, requests: [request] });

    await load(gateway.url, WARMUP_SECONDS);
    await load(bare.url, WARMUP_SECONDS);
    const gw: LoadResult[] = [];
    const base: LoadResult[] = [];
    for (let round = 0; round < ctx.rounds; round += 1) {
      // Alternate who goes first so drift (thermal, noisy neighbours) hits both sides alike.
      if (round % 2 === 0) {
        gw.push(await load(gateway.url, ROUND_SECONDS));
        base.push(await load(bare.url, ROUND_SECONDS));
      } else {
        base.push(await load(bare.url, ROUND_SECONDS));
        gw.push(await load(gateway.url, ROUND_SECONDS));
      }
    }
    const upstream = listRequests(sim, '111').length;
    ctx.note(
      `${name}: ${nodes} customers, ${captured.body.length} bytes (${captured.contentType}); ${CONNECTIONS} connections, ` +
        `${ROUND_SECONDS} s per round; upstream list requests during the run: ${upstream}`,
    );
    for (const [label, results] of [
      ['gateway', gw],
      ['bare', base],
    ] as const)
      ctx.note(
        `${name} ${label} per round: ${results.map((r) => `${fmt(r.reqPerSec)} req/s p50 ${r.p50.toFixed(2)} p99 ${r.p99.toFixed(2)} ms`).join('; ')}` +
          failures(results),
      );

    const gwRps = median(gw.map((r) => r.reqPerSec));
    const baseRps = median(base.map((r) => r.reqPerSec));
    const clean = [...gw, ...base].every((r) => r.non2xx === 0 && r.errors === 0);
    const gwP50 = median(gw.map((r) => r.p50));
    const baseP50 = median(base.map((r) => r.p50));
    const gwP99 = median(gw.map((r) => r.p99));
    const baseP99 = median(base.map((r) => r.p99));
    return [
      {
        bench: name,
        figure: `${fmt(gwRps)} req/s`,
        baseline: `${fmt(baseRps)} req/s (bare node:http)`,
        ratio: pct(gwRps / baseRps),
        target: `>= ${pct(targetRatio, 0)} of baseline req/s`,
        met: clean && gwRps / baseRps >= targetRatio,
      },
      {
        bench: `${name} latency`,
        figure: `p50 ${ms(gwP50)}, p99 ${ms(gwP99)}`,
        baseline: `p50 ${ms(baseP50)}, p99 ${ms(baseP99)}`,
        ratio: `p50 x${(gwP50 / baseP50).toFixed(1)}, p99 x${(gwP99 / baseP99).toFixed(1)}`,
        target: `(reported; ${CONNECTIONS} connections)`,
        met: null,
      },
    ];
  } finally {
    for (const p of processes.reverse()) await p.stop();
    await sim.close();
  }
}

function countNodes(fetched: Fetched, transport: Transport): number {
  const json = JSON.parse(fetched.body.toString('utf8')) as {
    data?: { customers?: { nodes?: unknown[] } };
    nodes?: unknown[];
  };
  return (transport === 'graphql' ? json.data?.customers?.nodes : json.nodes)?.length ?? 0;
}

function failures(results: LoadResult[]): string {
  const bad = results.filter((r) => r.non2xx > 0 || r.errors > 0);
  return bad.length === 0
    ? ''
    : ` (FAILURES: ${bad.map((r) => `${r.non2xx} non-2xx ${JSON.stringify(r.statusCounts)}, ${r.errors} errors`).join('; ')})`;
}
