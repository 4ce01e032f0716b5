// adapter: Nest on Fastify vs Nest on Express, the same app on each (bench/adapter-app: the
// gateway's guard, query DTO, validation pipe and list policy answering a 100-customer page,
// and a guarded `{ ok: true }`), loaded alike with rounds interleaved. The gateway keeps the faster.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { startSimulator } from '../../tools/pancake-sim/index.js';
import { AUTH, WINDOW, fetchDirect, restPath } from '../gateway-requests.js';
import { runLoad } from '../load.js';
import type { LoadRequest, LoadResult } from '../load-spec.js';
import { BENCH_KEY, REPO_ROOT, startNodeApp, type RunningProcess } from '../processes.js';
import { fmt, median } from '../stats.js';
import type { Bench, BenchContext, Row } from '../types.js';

const CONNECTIONS = 10;
const ROUND_SECONDS = 4;
const WARMUP_SECONDS = 2;
const ADAPTERS = ['fastify', 'express'] as const;
type Adapter = (typeof ADAPTERS)[number];
const APP_MAIN = join(
  REPO_ROOT,
  'bench',
  'results',
  'adapter-build',
  'bench',
  'adapter-app',
  'main.js',
);

export const adapterBench: Bench = { name: 'adapter', run };

function buildApp(): void {
  const result = spawnSync('npx', ['tsc', '-p', 'bench/adapter-app/tsconfig.json'], {
    cwd: REPO_ROOT,
    stdio: 'inherit',
  });
  if (result.status !== 0) throw new Error('compiling bench/adapter-app failed');
}

async function run(ctx: BenchContext): Promise<Row[]> {
  buildApp();
  const sim = await startSimulator({ customers: 250, rateLimitPerSecond: Infinity });
  const raw = await fetchDirect(sim, { pageId: '111', ...WINDOW, pageNumber: 1, pageSize: 100 });
  await sim.close();
  const apps = new Map<Adapter, RunningProcess>();
  try {
    for (const adapter of ADAPTERS) {
      const env = {
        ADAPTER: adapter,
        GATEWAY_API_KEYS: `bench=${BENCH_KEY}`,
        NODE_ENV: 'production',
      };
      apps.set(adapter, await startNodeApp(APP_MAIN, env, raw.body, '/ping'));
    }
    const workloads: { label: string; request: LoadRequest }[] = [
      {
        label: '100-customer page',
        request: {
          method: 'GET',
          path: restPath({ pageId: '111', ...WINDOW, pageSize: 100 }),
          headers: { ...AUTH },
        },
      },
      {
        label: 'guarded { ok: true }',
        request: { method: 'GET', path: '/ping', headers: { ...AUTH } },
      },
    ];
    const rows: Row[] = [];
    for (const { label, request } of workloads) {
      const load = (adapter: Adapter, durationSec: number): Promise<LoadResult> =>
        runLoad({
          url: apps.get(adapter)!.url,
          connections: CONNECTIONS,
          durationSec,
          requests: [request],
        });
      for (const adapter of ADAPTERS) await load(adapter, WARMUP_SECONDS);
      const results: Record<Adapter, LoadResult[]> = { fastify: [], express: [] };
      for (let round = 0; round < ctx.rounds; round += 1) {
        // Alternate who goes first so drift hits both sides alike.
        const order = round % 2 === 0 ? ADAPTERS : ([...ADAPTERS].reverse() as Adapter[]);
        for (const adapter of order) results[adapter].push(await load(adapter, ROUND_SECONDS));
      }
      for (const adapter of ADAPTERS)
        ctx.note(
          `adapter ${label} ${adapter} per round: ${results[adapter].map((r) => `${fmt(r.reqPerSec)} req/s p50 ${r.p50.toFixed(2)} ms`).join('; ')}` +
            (results[adapter].some((r) => r.non2xx > 0 || r.errors > 0) ? ' (FAILURES)' : ''),
        );
      const clean = ADAPTERS.every((a) =>
        results[a].every((r) => r.non2xx === 0 && r.errors === 0),
      );
      const fastify = median(results.fastify.map((r) => r.reqPerSec));
      const express = median(results.express.map((r) => r.reqPerSec));
      rows.push({
        bench: `adapter (${label})`,
        figure: `Fastify ${fmt(fastify)} req/s, p50 ${median(results.fastify.map((r) => r.p50)).toFixed(2)} ms`,
        baseline: `Express ${fmt(express)} req/s, p50 ${median(results.express.map((r) => r.p50)).toFixed(2)} ms`,
        ratio: `x${(fastify / express).toFixed(2)}`,
        target: 'keep the faster (the gateway runs on Fastify)',
        met: clean && fastify >= express,
      });
    }
    ctx.note(
      `adapter: the same Nest app (bench/adapter-app) on each adapter, ${CONNECTIONS} connections, ${ROUND_SECONDS} s per round; no cache, no upstream, no logging`,
    );
    return rows;
  } finally {
    for (const app of apps.values()) await app.stop();
  }
}
