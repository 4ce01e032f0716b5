/**
 * The built gateway (`node dist/main.js`) as a child process on a free port, configured by
 * environment like production: for suites that run several replicas or kill one with SIGKILL.
 * ensureFreshBuild() rebuilds dist first when any source is newer than it.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { TEST_API_KEYS_ENV, type SimulatorEndpoints } from './gateway.js';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const MAIN = join(REPO_ROOT, 'dist', 'main.js');

export interface GatewayProcess {
  /** http://127.0.0.1:PORT */
  url: string;
  pid: number;
  /** The last lines the process wrote (stdout and stderr), for failure messages. */
  outputTail(): string;
  /** Sends a signal; resolves once the process exited. */
  kill(signal: NodeJS.Signals): Promise<void>;
  /** SIGTERM (graceful drain), SIGKILL after 15 s. */
  stop(): Promise<void>;
}

function newestMtimeMs(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtimeMs(path) : statSync(path).mtimeMs);
  }
  return newest;
}

function mtimeMsOf(path: string): number {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

/**
 * Builds dist (`npm run build`) when it is missing or older than src/. Call it in beforeAll
 * (the build takes about half a minute). Two such suites in parallel workers could build at
 * once: keep them few (two today: mirror replicas and the dashboard), or build before the run.
 */
export function ensureFreshBuild(): void {
  if (mtimeMsOf(MAIN) >= newestMtimeMs(join(REPO_ROOT, 'src'))) return;
  execFileSync('npm', ['run', 'build'], { cwd: REPO_ROOT, stdio: 'pipe' });
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/**
 * Starts dist/main.js against the simulator with the e2e API keys (test/support/gateway.ts)
 * and `env` over them; resolves once GET /health/live answers (within startupBoundMs, 30 s by
 * default: the embedded database's start can take longer on a busy machine).
 */
export async function startGatewayProcess(
  sim: SimulatorEndpoints,
  env: Record<string, string> = {},
  options: { startupBoundMs?: number } = {},
): Promise<GatewayProcess> {
  const startupBoundMs = options.startupBoundMs ?? 30_000;
  const port = await freePort();
  const child = spawn(process.execPath, [MAIN], {
    cwd: REPO_ROOT,
    // Only PATH and HOME are inherited: a REDIS_URL in the caller's shell must not change the test.
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: 'test',
      PORT: String(port),
      HOST: '127.0.0.1',
      PANCAKE_BASE_URL: sim.url,
      PANCAKE_AVATAR_BASE_URL: sim.avatarBaseUrl,
      PANCAKE_PAGE_TOKENS: sim.pageTokensEnv,
      GATEWAY_API_KEYS: TEST_API_KEYS_ENV,
      PANCAKE_RETRY_BASE_MS: '20',
      LOG_LEVEL: 'warn',
      SYNC_PAGES: 'none',
      DATA_DIR: ':memory:',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exit = once(child, 'exit');
  const url = `http://127.0.0.1:${port}`;
  const handle: GatewayProcess = {
    url,
    pid: child.pid ?? 0,
    outputTail: () => output,
    async kill(signal) {
      if (exited(child)) return;
      child.kill(signal);
      await exit;
    },
    async stop() {
      if (exited(child)) return;
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      child.kill('SIGTERM');
      await exit;
      clearTimeout(timer);
    },
  };
  const deadline = Date.now() + startupBoundMs;
  while (Date.now() < deadline) {
    if (exited(child))
      throw new Error(`gateway exited (${child.exitCode ?? child.signalCode}):\n${output}`);
    try {
      const response = await fetch(`${url}/health/live`);
      await response.arrayBuffer();
      if (response.ok) return handle;
    } catch {
      // not listening yet
    }
    await sleep(50);
  }
  await handle.kill('SIGKILL');
  throw new Error(
    `gateway did not answer /health/live within ${startupBoundMs / 1000} s:\n${output}`,
  );
}
