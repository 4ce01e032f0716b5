// The demo stack: the Pancake simulator (in this process) and the built gateway (a child
// process) in front of it. `npm run demo` and the examples runner start it.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSimulator, type Simulator } from './pancake-sim/index.js';

export const DEMO_KEY = 'demo-key-change-me-0123456789';
const GATEWAY_MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));
/** Longest the gateway may take to drain before its process group is killed. */
const GATEWAY_STOP_MS = 5_000;

export interface DemoStack {
  sim: Simulator;
  gateway: ChildProcess;
  gatewayUrl: string;
  /** Stops the gateway (its whole process group) and the simulator; safe to call twice. */
  stop(): Promise<void>;
}

export class PortInUseError extends Error {
  constructor(
    readonly port: number,
    readonly variable: string,
  ) {
    super(`port ${port} is already in use; set ${variable} to another port`);
  }
}

/** The simulator on `simPort`; a busy port is a PortInUseError naming SIM_PORT. */
async function startDemoSimulator(port: number): Promise<Simulator> {
  try {
    return await startSimulator({ port, customers: 1000 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE')
      throw new PortInUseError(port, 'SIM_PORT');
    throw error;
  }
}

export async function startDemoStack(options: {
  port: number;
  simPort: number;
  logLevel?: string;
}): Promise<DemoStack> {
  const sim = await startDemoSimulator(options.simPort);
  const gatewayUrl = `http://127.0.0.1:${options.port}`;
  // A working directory of its own: in development mode the gateway writes schema.gql there,
  // which must not race the repository's committed copy (tests read it while demos run).
  const workDir = mkdtempSync(join(tmpdir(), 'pgw-demo-'));
  const gateway = spawn(process.execPath, [GATEWAY_MAIN], {
    cwd: workDir,
    // Its own process group, so stopping takes everything it may start; the IPC channel makes
    // it stop when this process dies without a chance to stop it (SIGKILL).
    detached: true,
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    env: {
      ...process.env,
      NODE_ENV: 'development',
      PORT: String(options.port),
      PANCAKE_BASE_URL: sim.url,
      PANCAKE_AVATAR_BASE_URL: sim.avatarBaseUrl,
      PANCAKE_PAGE_TOKENS: sim.pageTokensEnv,
      GATEWAY_API_KEYS: `demo=${DEMO_KEY}`,
      REDIS_URL: '',
      // The mirror in memory: every page backfilled at start, gone when the demo stops.
      DATA_DIR: ':memory:',
      LOG_LEVEL: options.logLevel ?? 'warn',
    },
  });
  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopped ??= (async () => {
      await stopProcessGroup(gateway);
      await sim.close();
      rmSync(workDir, { recursive: true, force: true });
    })());
  return { sim, gateway, gatewayUrl, stop };
}

/** SIGTERM to the child's process group, then SIGKILL if it has not exited in time. */
async function stopProcessGroup(child: ChildProcess): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  signalGroup(child.pid, 'SIGTERM');
  const timer = setTimeout(() => signalGroup(child.pid!, 'SIGKILL'), GATEWAY_STOP_MS);
  await exited;
  clearTimeout(timer);
  // Anything the gateway itself started goes with its group.
  signalGroup(child.pid, 'SIGKILL');
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // the group is gone already
  }
}

export async function waitForGateway(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${url}/health/live`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the gateway did not answer on ${url} within ${timeoutMs} ms`);
}
