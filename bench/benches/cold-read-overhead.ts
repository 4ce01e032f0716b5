// cold-read-overhead: added latency of one uncached read through the gateway vs the same read
// (same page, window and page size) sent straight to the simulator; limiter idle.
import { startSimulator, type Simulator } from '../../tools/pancake-sim/index.js';
import {
  fetchDirect,
  fetchGraphql,
  fetchRest,
  isOk,
  type Fetched,
  type ListArgs,
  listRequests,
} from '../gateway-requests.js';
import { startGateway } from '../processes.js';
import { median, ms, percentile } from '../stats.js';
import type { Bench, BenchContext, Row } from '../types.js';

const PER_ROUND = 60;
const WARMUP = 20;
const TARGET_ADDED_MS = 2;

export const coldReadOverheadBench: Bench = { name: 'cold-read-overhead', run };

async function run(ctx: BenchContext): Promise<Row[]> {
  // No upstream limit and a gateway limit far above the request rate: every slot is free at once.
  const sim = await startSimulator({ customers: 250, rateLimitPerSecond: Infinity });
  const gateway = await startGateway({
    sim,
    env: { CACHE_TTL_SECONDS: '600', PANCAKE_RATE_LIMIT_PER_SECOND: '1000' },
  });
  let shift = 0;
  // Every read gets its own window (since moves by an hour), so each gateway read misses the cache.
  const nextArgs = (): ListArgs => {
    shift += 1;
    return {
      pageId: '111',
      since: new Date(Date.UTC(2023, 0, 1) + shift * 3_600_000).toISOString(),
      until: '2026-12-31T00:00:00.000Z',
      pageNumber: 1,
      pageSize: 100,
    };
  };
  try {
    const rows: Row[] = [];
    for (const transport of ['rest', 'graphql'] as const) {
      const viaGateway = (args: ListArgs): Promise<Fetched> =>
        transport === 'rest' ? fetchRest(gateway.url, args) : fetchGraphql(gateway.url, args);
      await pairs(sim, viaGateway, nextArgs, WARMUP);
      const added: number[] = [];
      const directP50: number[] = [];
      const gatewayP50: number[] = [];
      for (let round = 0; round < ctx.rounds; round += 1) {
        const before = listCount(sim);
        const { direct, through } = await pairs(sim, viaGateway, nextArgs, PER_ROUND);
        const upstream = listCount(sim) - before;
        const d50 = percentile(direct, 50);
        const g50 = percentile(through, 50);
        directP50.push(d50);
        gatewayP50.push(g50);
        added.push(g50 - d50);
        ctx.note(
          `cold-read-overhead ${transport} round ${round + 1}: direct p50 ${d50.toFixed(2)} p99 ${percentile(direct, 99).toFixed(2)} ms, ` +
            `gateway p50 ${g50.toFixed(2)} p99 ${percentile(through, 99).toFixed(2)} ms; upstream list requests ${upstream} ` +
            `for ${PER_ROUND} direct + ${PER_ROUND} gateway reads (all gateway reads missed: ${upstream === 2 * PER_ROUND})`,
        );
      }
      const addedMedian = median(added);
      rows.push({
        bench: `cold-read-overhead (${transport})`,
        figure: `p50 ${ms(median(gatewayP50))} (+${ms(addedMedian)})`,
        baseline: `p50 ${ms(median(directP50))} direct`,
        ratio: `x${(median(gatewayP50) / median(directP50)).toFixed(2)}`,
        target: `p50 <= ${TARGET_ADDED_MS} ms added`,
        met: addedMedian <= TARGET_ADDED_MS,
      });
    }
    ctx.note(
      `cold-read-overhead: ${PER_ROUND} sequential reads per side per round, 100 customers each, alternating direct/gateway`,
    );
    return rows;
  } finally {
    await gateway.stop();
    await sim.close();
  }
}

const listCount = (sim: Simulator): number => listRequests(sim, '111').length;

async function timed(call: () => Promise<Fetched>): Promise<number> {
  const start = performance.now();
  const fetched = await call();
  const elapsed = performance.now() - start;
  if (!isOk(fetched))
    throw new Error(`cold read failed: ${fetched.status} ${fetched.body.toString().slice(0, 300)}`);
  return elapsed;
}

/** n sequential pairs, alternating which side goes first; each pair reads one fresh window. */
async function pairs(
  sim: Simulator,
  viaGateway: (args: ListArgs) => Promise<Fetched>,
  nextArgs: () => ListArgs,
  n: number,
): Promise<{ direct: number[]; through: number[] }> {
  const direct: number[] = [];
  const through: number[] = [];
  for (let i = 0; i < n; i += 1) {
    const args = nextArgs();
    if (i % 2 === 0) {
      direct.push(await timed(() => fetchDirect(sim, args)));
      through.push(await timed(() => viaGateway(args)));
    } else {
      through.push(await timed(() => viaGateway(args)));
      direct.push(await timed(() => fetchDirect(sim, args)));
    }
  }
  return { direct, through };
}
