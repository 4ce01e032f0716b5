// `npx tsx bench/ab-mirror.ts <distA> <distB> [distinct|same|graphql] [rounds]`: gateway CPU per
// mirrored read for two builds, rounds interleaved (like bench/ab.ts, for the mirror). Each
// build syncs page 111 (10,000 customers) into its own in-memory PGlite, or with DB=pg into
// the PostgreSQL databases ab1 and ab2 (created fresh first). `distinct` moves `since` a minute
// per request (cold reads), `same` repeats one REST read (replays), `graphql` one GraphQL read.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import pg from 'pg';
import { startSimulator } from '../tools/pancake-sim/index.js';
import { AUTH, WINDOW, graphqlLoad, restLoad, type ListArgs } from './gateway-requests.js';
import { runLoad } from './load.js';
import { startGateway, type RunningProcess } from './processes.js';
import { median, sleep } from './stats.js';

const ADMIN_URL = 'postgresql://postgres@127.0.0.1:5432/test';

/** utime + stime of a process, ms (clock ticks are 10 ms on Linux). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

async function freshDatabase(name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  return ADMIN_URL.replace(/\/test$/, `/${name}`);
}

async function untilLive(gateway: RunningProcess): Promise<void> {
  for (;;) {
    const response = await fetch(`${gateway.url}/v1/pages/111/sync`, { headers: AUTH });
    if (((await response.json()) as { state: string }).state === 'LIVE') return;
    await sleep(200);
  }
}

async function main(): Promise<void> {
  const [distA, distB, mode = 'distinct', rounds = '4'] = process.argv.slice(2);
  if (!distA || !distB || !['distinct', 'same', 'graphql'].includes(mode))
    throw new Error(
      'usage: npx tsx bench/ab-mirror.ts <distA> <distB> [distinct|same|graphql] [rounds]',
    );
  const sim = await startSimulator({
    pages: ['111'],
    customersByPage: { '111': 10_000 },
    rateLimitPerSecond: Infinity,
  });
  const gateways: RunningProcess[] = [];
  try {
    for (const [i, dist] of [distA, distB].entries()) {
      const database: Record<string, string> =
        process.env.DB === 'pg'
          ? { DATABASE_URL: await freshDatabase(`ab${i + 1}`) }
          : { DATA_DIR: ':memory:' };
      gateways.push(
        await startGateway({
          sim,
          dist: resolve(dist),
          env: {
            ...database,
            SYNC_PAGES: '111',
            SYNC_MAX_REQUESTS_PER_SECOND: '50',
            PANCAKE_RATE_LIMIT_PER_SECOND: '100',
            SYNC_INTERVAL_SECONDS: '3600',
            CACHE_TTL_SECONDS: '600',
            LOG_LEVEL: 'warn',
          },
        }),
      );
    }
    for (const gateway of gateways) await untilLive(gateway);
    const args: ListArgs = {
      pageId: '111',
      ...WINDOW,
      pageNumber: 1,
      pageSize: 100,
      source: 'mirror',
    };
    const request =
      mode === 'distinct'
        ? restLoad({ ...args, since: '__SEQ_MINUTE__' })
        : mode === 'graphql'
          ? graphqlLoad(args)
          : restLoad(args);
    const amount = mode === 'distinct' ? 2_000 : 10_000;
    for (const gateway of gateways)
      await runLoad({ url: gateway.url, connections: 10, amount: 2_000, requests: [request] });
    const perRequest: number[][] = [[], []];
    for (let round = 0; round < Number(rounds); round += 1)
      for (const [i, gateway] of gateways.entries()) {
        const before = cpuMs(gateway.pid);
        const load = await runLoad({
          url: gateway.url,
          connections: 10,
          amount,
          requests: [request],
        });
        const answered = Object.values(load.statusCounts).reduce((a, b) => a + b, 0);
        perRequest[i]!.push((cpuMs(gateway.pid) - before) / answered);
      }
    const show = (values: number[]): string => values.map((v) => v.toFixed(3)).join(' ');
    console.log(
      `${mode} (${process.env.DB === 'pg' ? 'PostgreSQL' : 'PGlite'}), CPU ms per read: ` +
        `A ${show(perRequest[0]!)}; B ${show(perRequest[1]!)}; B/A ${(median(perRequest[1]!) / median(perRequest[0]!)).toFixed(3)}`,
    );
  } finally {
    for (const gateway of gateways) await gateway.stop();
    await sim.close();
  }
}

await main();
