// `npx tsx bench/ab.ts <distA> <distB> [rest|graphql] [rounds]`: gateway CPU per cached read
// for two builds, rounds interleaved, CPU time read from /proc (steadier than req/s on a shared
// 2-core machine). Both trees must sit inside the repo (node_modules resolves upward), e.g.
// `cp -r dist bench/results/distA`, change, `npm run build`, `cp -r dist bench/results/distB`.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { startSimulator } from '../tools/pancake-sim/index.js';
import { WINDOW, fetchGraphql, fetchRest, graphqlLoad, restLoad } from './gateway-requests.js';
import { runLoad } from './load.js';
import { startGateway, type RunningProcess } from './processes.js';
import { median } from './stats.js';

const REQUESTS_PER_ROUND = 20_000;
const CONNECTIONS = 10;

/** utime + stime of a process, ms (clock ticks are 10 ms on Linux). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

async function main(): Promise<void> {
  const [distA, distB, transport = 'rest', rounds = '5'] = process.argv.slice(2);
  if (!distA || !distB || (transport !== 'rest' && transport !== 'graphql'))
    throw new Error('usage: npx tsx bench/ab.ts <distA> <distB> [rest|graphql] [rounds]');
  const sim = await startSimulator({ customers: 250 });
  const gateways: RunningProcess[] = [];
  try {
    for (const dist of [distA, distB])
      gateways.push(
        await startGateway({ sim, dist: resolve(dist), env: { CACHE_TTL_SECONDS: '600' } }),
      );
    const args = { pageId: '111', ...WINDOW, pageNumber: 1, pageSize: 100 };
    const request = transport === 'rest' ? restLoad(args) : graphqlLoad(args);
    for (const gateway of gateways) {
      await (transport === 'rest' ? fetchRest(gateway.url, args) : fetchGraphql(gateway.url, args));
      await runLoad({
        url: gateway.url,
        connections: CONNECTIONS,
        amount: 10_000,
        requests: [request],
      });
    }
    const perRequestUs: number[][] = [[], []];
    for (let round = 0; round < Number(rounds); round += 1) {
      for (const i of round % 2 === 0 ? [0, 1] : [1, 0]) {
        const before = cpuMs(gateways[i].pid);
        const result = await runLoad({
          url: gateways[i].url,
          connections: CONNECTIONS,
          amount: REQUESTS_PER_ROUND,
          requests: [request],
        });
        if (result.non2xx > 0 || result.errors > 0) throw new Error(`round ${round}: failures`);
        perRequestUs[i].push(((cpuMs(gateways[i].pid) - before) * 1000) / REQUESTS_PER_ROUND);
      }
    }
    for (const [i, label] of ['A', 'B'].entries())
      console.log(
        `${label} ${[distA, distB][i]}: ${transport} cached read, gateway CPU per request ` +
          `median ${median(perRequestUs[i]).toFixed(1)} µs (rounds: ${perRequestUs[i].map((v) => v.toFixed(0)).join(', ')})`,
      );
  } finally {
    for (const gateway of gateways) await gateway.stop();
    await sim.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
