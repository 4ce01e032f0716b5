// Child processes of a run: the built gateway (`node dist/main.js`), the bare baseline server and
// any tsx script; each waits until it answers and stops by its own pid.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { PRODUCTION_NODE_OPTIONS } from '../tools/production-node-options.js';
import { sleep } from './stats.js';

export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The run's copy of dist (see run.ts); gateways start from here, not from dist. */
export const GATEWAY_DIST = join(REPO_ROOT, 'bench', 'results', 'gateway-dist');

/** The key every bench gateway accepts (full access). */
export const BENCH_KEY = 'bench-key-0123456789abcdef';

export interface RunningProcess {
  url: string;
  pid: number;
  /** Resident set size from /proc/PID/status, bytes (0 when unreadable). */
  rssBytes(): number;
  /** The last lines the process wrote to stderr. */
  stderrTail(): string;
  /** null while running, else how it ended (exit code or signal). */
  exited(): string | null;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export function rssOf(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** Spawns `node ...args` in the repo root and wraps it once `readyPath` answers 2xx. */
async function startProcess(
  args: string[],
  port: number,
  env: Record<string, string>,
  readyPath: string,
  io: { stdin?: Buffer; onStdoutLine?: (line: string) => void; cleanEnv?: boolean } = {},
): Promise<RunningProcess> {
  // cleanEnv: only PATH and HOME are inherited, so a REDIS_URL or CACHE_* in the caller's shell
  // cannot change what a bench measures.
  const inherited = io.cleanEnv ? { PATH: process.env.PATH, HOME: process.env.HOME } : process.env;
  const child = spawn(process.execPath, args, {
    cwd: REPO_ROOT,
    env: { ...inherited, ...env },
    stdio: [io.stdin ? 'pipe' : 'ignore', io.onStdoutLine ? 'pipe' : 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  if (child.stdout && io.onStdoutLine)
    createInterface({ input: child.stdout }).on('line', io.onStdoutLine);
  if (io.stdin) child.stdin?.end(io.stdin);
  const url = `http://127.0.0.1:${port}`;
  const handle: RunningProcess = {
    url,
    pid: child.pid ?? 0,
    rssBytes: () => rssOf(child.pid ?? 0),
    stderrTail: () => stderr,
    exited: () =>
      child.exitCode !== null || child.signalCode !== null
        ? String(child.exitCode ?? child.signalCode)
        : null,
    stop: () => stopChild(child),
  };
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(
        `${args.join(' ')} exited (${child.exitCode ?? child.signalCode}) before answering:\n${stderr}`,
      );
    try {
      // Any answer below 500 means the server is up (health may sit behind the API key).
      const response = await fetch(`${url}${readyPath}`, {
        headers: { authorization: `Bearer ${BENCH_KEY}` },
      });
      await response.arrayBuffer();
      if (response.status < 500) return handle;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  await handle.stop();
  throw new Error(`${args.join(' ')} did not answer ${readyPath} within 60 s:\n${stderr}`);
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

export interface GatewayOptions {
  /** PANCAKE_BASE_URL and friends come from the simulator handle. */
  sim: { url: string; avatarBaseUrl: string; pageTokensEnv: string };
  env?: Record<string, string>;
  /** Extra node flags, e.g. ['--cpu-prof', '--cpu-prof-dir=...']. */
  nodeFlags?: string[];
  /** Receives every stdout line (logs, --trace-gc); stdout is discarded when unset. */
  onStdoutLine?: (line: string) => void;
  /** Another build to start (a dist tree inside the repo); the run's copy by default. */
  dist?: string;
}

/** The built gateway as production runs it (`node dist/main.js`, from the run's copy), configured by environment. */
export async function startGateway(options: GatewayOptions): Promise<RunningProcess> {
  const port = await freePort();
  const env: Record<string, string> = {
    NODE_ENV: 'production',
    PORT: String(port),
    HOST: '127.0.0.1',
    PANCAKE_BASE_URL: options.sim.url,
    PANCAKE_AVATAR_BASE_URL: options.sim.avatarBaseUrl,
    PANCAKE_PAGE_TOKENS: options.sim.pageTokensEnv,
    GATEWAY_API_KEYS: `bench=${BENCH_KEY}`,
    NODE_OPTIONS: PRODUCTION_NODE_OPTIONS,
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info',
    // Benches that measure the mirror turn it on; the others measure the upstream path.
    SYNC_PAGES: 'none',
    DATA_DIR: ':memory:',
    ...options.env,
  };
  // `npm run bench -- --cpu-prof` profiles every gateway; profiles land in bench/results/profiles.
  const profileDir = process.env.BENCH_CPU_PROF_DIR;
  const profiling = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  return startProcess(
    [...profiling, ...(options.nodeFlags ?? []), join(options.dist ?? GATEWAY_DIST, 'main.js')],
    port,
    env,
    '/health/live',
    { onStdoutLine: options.onStdoutLine, cleanEnv: true },
  );
}

/** A compiled bench app (`node <script>`) fed `stdin`, up once `readyPath` answers below 500. */
export async function startNodeApp(
  script: string,
  env: Record<string, string>,
  stdin: Buffer,
  readyPath: string,
): Promise<RunningProcess> {
  const port = await freePort();
  return startProcess([script], port, { ...env, PORT: String(port) }, readyPath, {
    stdin,
    cleanEnv: true,
  });
}

/** The baseline: a bare node:http server answering every request with these bytes. */
export async function startBareServer(body: Buffer, contentType: string): Promise<RunningProcess> {
  const port = await freePort();
  return startProcess(
    ['--import', 'tsx', 'bench/bare-server.ts'],
    port,
    { PORT: String(port), CONTENT_TYPE: contentType },
    '/',
    { stdin: body },
  );
}

/** Runs `node --import tsx <script> ...args` to completion; resolves with its stdout. */
export async function runTsxScript(script: string, args: string[]): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`${script} failed (${code}):\n${stderr}`);
  return stdout;
}
