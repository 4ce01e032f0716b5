// `npm run bench [-- --only a,b] [--rounds N] [--build|--no-build] [--cpu-prof]`: builds the gateway
// when dist is older than src, runs the selected benches in order, prints the table and writes
// bench/results/latest.md.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { adapterBench } from './benches/adapter.js';
import { cachedReadBench } from './benches/cached-read.js';
import { coalescingBench } from './benches/coalescing.js';
import { coldReadOverheadBench } from './benches/cold-read-overhead.js';
import { feedBench } from './benches/feed.js';
import { fullExportBench } from './benches/full-export.js';
import { memoryBench } from './benches/memory.js';
import { mirrorBench } from './benches/mirror.js';
import { mirrorWritesBench } from './benches/mirror-writes.js';
import { mobileBench } from './benches/mobile.js';
import { productsBench } from './benches/products.js';
import { replicasBench } from './benches/replicas.js';
import { webhooksBench } from './benches/webhooks.js';
import { GATEWAY_DIST, REPO_ROOT } from './processes.js';
import { renderReport, writeReport } from './report.js';
import type { Bench, Row } from './types.js';

const BENCHES: Bench[] = [
  cachedReadBench('graphql', 0.5),
  cachedReadBench('rest', 0.7),
  coldReadOverheadBench,
  fullExportBench,
  coalescingBench,
  replicasBench,
  memoryBench,
  adapterBench,
  mobileBench,
  mirrorBench,
  mirrorWritesBench,
  feedBench,
  webhooksBench,
  productsBench,
];

const USAGE = `Usage: npm run bench -- [--only ${BENCHES.map((b) => b.name).join(',')}] [--rounds 3] [--build | --no-build] [--cpu-prof]`;

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/**
 * Builds when dist is older than src (or always/never), then copies dist to
 * bench/results/gateway-dist: the run starts its gateways from that snapshot, so a rebuild
 * elsewhere (nest build empties dist first) cannot pull the code out from under a run.
 * node_modules still resolves from the snapshot (it walks up to the repo root).
 */
function prepareGateway(mode: 'auto' | 'always' | 'never'): void {
  const dist = join(REPO_ROOT, 'dist');
  const main = join(dist, 'main.js');
  const fresh = existsSync(main) && statSync(main).mtimeMs >= newestMtime(join(REPO_ROOT, 'src'));
  if (mode === 'never' || (mode === 'auto' && fresh)) {
    if (!existsSync(main))
      throw new Error('dist/main.js is missing: run `npm run build` (or drop --no-build)');
    console.log(
      fresh ? 'dist is up to date with src' : 'warning: dist is older than src (--no-build)',
    );
  } else {
    console.log('building the gateway (npm run build) ...');
    const result = spawnSync('npm', ['run', 'build'], { cwd: REPO_ROOT, stdio: 'inherit' });
    if (result.status !== 0) throw new Error('npm run build failed');
  }
  rmSync(GATEWAY_DIST, { recursive: true, force: true });
  cpSync(dist, GATEWAY_DIST, { recursive: true });
  if (!existsSync(join(GATEWAY_DIST, 'main.js')))
    throw new Error('dist changed while it was copied: run again');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      only: { type: 'string' },
      rounds: { type: 'string', default: '3' },
      build: { type: 'boolean' },
      'no-build': { type: 'boolean' },
      'cpu-prof': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const rounds = Number(values.rounds);
  if (!Number.isInteger(rounds) || rounds < 1)
    throw new Error(`--rounds must be an integer >= 1\n${USAGE}`);
  const wanted = values.only
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = wanted?.filter((name) => !BENCHES.some((b) => b.name === name)) ?? [];
  if (unknown.length > 0) throw new Error(`unknown bench(es): ${unknown.join(', ')}\n${USAGE}`);
  const selected = wanted ? BENCHES.filter((b) => wanted.includes(b.name)) : BENCHES;

  if (values['cpu-prof']) {
    process.env.BENCH_CPU_PROF_DIR = join(REPO_ROOT, 'bench', 'results', 'profiles');
    console.log(
      `profiling every gateway into ${process.env.BENCH_CPU_PROF_DIR} (see bench/profile-summary.ts)`,
    );
  }
  prepareGateway(values.build ? 'always' : values['no-build'] ? 'never' : 'auto');
  const loadAtStart = loadavg()[0];
  const started = performance.now();
  const rows: Row[] = [];
  const notes: string[] = [];
  for (const bench of selected) {
    const t0 = performance.now();
    console.log(`running ${bench.name} ...`);
    try {
      rows.push(...(await bench.run({ rounds, note: (line) => notes.push(line) })));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      console.error(`${bench.name} failed: ${message}`);
      rows.push({
        bench: bench.name,
        figure: `failed: ${message.split('\n').filter(Boolean).slice(0, 2).join(' ')}`,
        baseline: '',
        ratio: '',
        target: '',
        met: false,
      });
    }
    console.log(`  ${bench.name} done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  const markdown = renderReport({
    rows,
    notes,
    rounds,
    elapsedSeconds: (performance.now() - started) / 1000,
    gatewayLogLevel: process.env.BENCH_LOG_LEVEL ?? 'info',
    loadAtStart,
  });
  const path = writeReport(markdown);
  console.log(`\n${markdown}`);
  console.log(`written to ${path}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
