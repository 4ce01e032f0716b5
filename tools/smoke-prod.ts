// `npm run smoke:prod`: the built dist/ must start with production dependencies only (as in
// the Dockerfile's runtime stage), serve a request, and on SIGTERM finish an in-flight
// request, then exit 0. Run after `npm run build`.
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimulator } from './pancake-sim/index.js';
import { PRODUCTION_NODE_OPTIONS } from './production-node-options.js';

const KEY = 'smoke-key-0123456789abcdef';
// SMOKE_NODE: another Node.js binary for the gateway (CI: the current LTS, from npm's `node`).
const GATEWAY_NODE = process.env.SMOKE_NODE || process.execPath;
const PORT = 3990 + Math.floor(Math.random() * 9);

function fail(message: string): never {
  console.error(`smoke:prod FAILED: ${message}`);
  process.exit(1);
}

async function waitFor(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  fail(`${url} did not answer within ${timeoutMs} ms`);
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'pgw-prod-'));
  try {
    for (const file of ['package.json', 'package-lock.json']) cpSync(file, join(dir, file));
    cpSync('dist', join(dir, 'dist'), { recursive: true });
    const started = Date.now();
    execFileSync('npm', ['ci', '--omit=dev', '--no-audit', '--no-fund', '--prefer-offline'], {
      cwd: dir,
      stdio: 'inherit',
    });
    console.log(`production install: ${((Date.now() - started) / 1000).toFixed(1)} s`);

    const sim = await startSimulator({ customers: 20 });
    const nodeVersion = execFileSync(GATEWAY_NODE, ['--version'], { encoding: 'utf8' }).trim();
    const gateway = spawn(GATEWAY_NODE, ['dist/main.js'], {
      cwd: dir,
      stdio: ['ignore', 'inherit', 'inherit'],
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'production',
        NODE_OPTIONS: PRODUCTION_NODE_OPTIONS,
        PORT: String(PORT),
        LOG_LEVEL: 'warn',
        PANCAKE_BASE_URL: sim.url,
        PANCAKE_AVATAR_BASE_URL: sim.avatarBaseUrl,
        PANCAKE_PAGE_TOKENS: sim.pageTokensEnv,
        GATEWAY_API_KEYS: `smoke=${KEY}`,
      },
    });
    const base = `http://127.0.0.1:${PORT}`;
    await waitFor(`${base}/health/live`, 20_000);
    const auth = { headers: { authorization: `Bearer ${KEY}` } };
    const list = `${base}/v1/pages/111/customers?since=2024-01-01T00:00:00Z&until=2026-12-31T00:00:00Z&pageSize=5&source=upstream`;
    const ok = await fetch(list, auth);
    if (ok.status !== 200) fail(`list answered ${ok.status}`);
    const upstreamTotal = ((await ok.json()) as { total: number }).total;

    // The mirror, on the default embedded PostgreSQL in ./data: backfilled, then read.
    await waitForLive(`${base}/v1/pages/111/sync`, 20_000);
    const mirrored = await fetch(list.replace('source=upstream', 'source=mirror'), auth);
    if (mirrored.status !== 200 || mirrored.headers.get('x-data-source') !== 'mirror')
      fail(`mirror read answered ${mirrored.status} from ${mirrored.headers.get('x-data-source')}`);
    const mirrorTotal = ((await mirrored.json()) as { total: number }).total;
    if (mirrorTotal !== upstreamTotal)
      fail(`mirror total ${mirrorTotal} != upstream ${upstreamTotal}`);

    // An in-flight request when SIGTERM arrives must still complete.
    sim.injectFault({
      kind: 'latency',
      latencyMs: 1500,
      pageId: '111',
      operation: 'list',
      count: 1,
    });
    const inFlight = fetch(`${list}&pageNumber=2`, { headers: { authorization: `Bearer ${KEY}` } });
    await new Promise((r) => setTimeout(r, 300));
    gateway.kill('SIGTERM');
    const [response, [code]] = await Promise.all([
      inFlight,
      once(gateway, 'exit') as Promise<[number | null]>,
    ]);
    if (response.status !== 200)
      fail(`the in-flight request answered ${response.status} during shutdown`);
    if (code !== 0) fail(`the gateway exited with ${code} after SIGTERM`);
    await sim.close();
    console.log(
      `smoke:prod ok on Node ${nodeVersion}: started with production dependencies only, served, mirrored (PGlite on disk), drained on SIGTERM, exit 0`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function waitForLive(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let state = 'unknown';
  while (Date.now() < deadline) {
    const answer = await fetch(url, { headers: { authorization: `Bearer ${KEY}` } });
    state = ((await answer.json()) as { state?: string }).state ?? 'unknown';
    if (state === 'LIVE') return;
    await new Promise((r) => setTimeout(r, 250));
  }
  fail(`page 111 did not become LIVE within ${timeoutMs} ms (state ${state})`);
}

main().catch((error: unknown) => fail(error instanceof Error ? error.message : String(error)));
