// coalescing: 200 concurrent identical cold queries must cost one upstream request.
import { startSimulator, type Simulator } from '../../tools/pancake-sim/index.js';
import {
  fetchGraphql,
  fetchRest,
  isOk,
  type Fetched,
  type ListArgs,
  listRequests,
} from '../gateway-requests.js';
import { startGateway } from '../processes.js';
import { median, percentile } from '../stats.js';
import type { Bench, BenchContext, Row } from '../types.js';

const CONCURRENT = 200;

export const coalescingBench: Bench = { name: 'coalescing', run };

async function run(ctx: BenchContext): Promise<Row[]> {
  const sim = await startSimulator({ customers: 250 });
  const gateway = await startGateway({ sim, env: { CACHE_TTL_SECONDS: '600' } });
  let shift = 0;
  try {
    const rows: Row[] = [];
    for (const transport of ['graphql', 'rest'] as const) {
      const upstreamCounts: number[] = [];
      let allOk = true;
      for (let round = 0; round < ctx.rounds; round += 1) {
        shift += 1;
        // A window nobody asked for yet: the first of the 200 misses, the rest must join it.
        const args: ListArgs = {
          pageId: '111',
          since: new Date(Date.UTC(2023, 0, 1) + shift * 3_600_000).toISOString(),
          until: '2026-12-31T00:00:00.000Z',
          pageSize: 100,
        };
        const before = listCount(sim);
        const call = (): Promise<Fetched> =>
          transport === 'graphql' ? fetchGraphql(gateway.url, args) : fetchRest(gateway.url, args);
        const started = performance.now();
        const answers = await Promise.all(
          Array.from({ length: CONCURRENT }, async () => {
            const fetched = await call();
            return { fetched, ms: performance.now() - started };
          }),
        );
        const upstream = listCount(sim) - before;
        upstreamCounts.push(upstream);
        const ok = answers.filter((a) => isOk(a.fetched)).length;
        const distinctBodies = new Set(answers.map((a) => a.fetched.body.toString('base64'))).size;
        const times = answers.map((a) => a.ms);
        ctx.note(
          `coalescing ${transport} round ${round + 1}: ${upstream} upstream list request(s) for ${CONCURRENT} concurrent queries; ` +
            `${ok}/${CONCURRENT} ok, ${distinctBodies} distinct body(ies); all answered in ${Math.max(...times).toFixed(1)} ms ` +
            `(p50 ${percentile(times, 50).toFixed(1)} ms)`,
        );
        if (ok !== CONCURRENT) allOk = false;
      }
      const worst = Math.max(...upstreamCounts);
      rows.push({
        bench: `coalescing (${transport})`,
        figure: `${median(upstreamCounts)} upstream request(s) per ${CONCURRENT} queries (worst round ${worst})${allOk ? '' : ', SOME FAILED'}`,
        baseline: `${CONCURRENT} without coalescing`,
        ratio: `1/${(CONCURRENT / median(upstreamCounts)).toFixed(0)}`,
        target: '1 upstream request',
        met: allOk && upstreamCounts.every((n) => n === 1),
      });
    }
    return rows;
  } finally {
    await gateway.stop();
    await sim.close();
  }
}

const listCount = (sim: Simulator): number => listRequests(sim, '111').length;
