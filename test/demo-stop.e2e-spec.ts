// `npm run demo` stops whole: a signal to the npm process (an IDE's stop button, a process
// manager) leaves no process and no bound port. Uses the built dist (npm run build).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** How long the processes may take to go after the signal (a wait bound, not an assertion). */
const GONE_WITHIN_MS = 15_000;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function portIsFree(port: number): Promise<boolean> {
  const server = createServer();
  return new Promise((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, '0.0.0.0', () => server.close(() => resolve(true)));
  });
}

/** Every process below `root`, from `ps` (the gateway sits in a process group of its own). */
function descendantsOf(root: number): number[] {
  const table = execFileSync('ps', ['-e', '-o', 'pid=,ppid='], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/).map(Number));
  const found: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    const parent = queue.shift()!;
    for (const [pid, ppid] of table)
      if (ppid === parent) {
        found.push(pid);
        queue.push(pid);
      }
  }
  return found;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitUntil(check: () => boolean | Promise<boolean>): Promise<boolean> {
  const deadline = Date.now() + GONE_WITHIN_MS;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return check();
}

interface RunningDemo {
  npm: ChildProcess;
  ports: number[];
  output: () => string;
}

async function startDemo(): Promise<RunningDemo> {
  const ports = [await freePort(), await freePort()];
  const npm = spawn('npm', ['run', 'demo', '--', '--no-build'], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(ports[0]), SIM_PORT: String(ports[1]) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const ready = new Promise<void>((resolve, reject) => {
    npm.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ctrl-C stops')) resolve();
    });
    npm.on('exit', () => reject(new Error(`the demo exited before it was ready:\n${output}`)));
  });
  npm.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await ready;
  return { npm, ports, output: () => output };
}

describe('npm run demo stops fully (e2e, built dist)', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)(
    'stops the simulator and the gateway on %s to the npm process',
    async (signal) => {
      const demo = await startDemo();
      const pids = descendantsOf(demo.npm.pid!);
      // The demo (node), the gateway (node dist/main.js), maybe a tsx helper.
      expect(pids.length).toBeGreaterThanOrEqual(2);
      for (const port of demo.ports) expect(await portIsFree(port)).toBe(false);

      const exited = once(demo.npm, 'exit');
      demo.npm.kill(signal);
      await exited;

      expect(await waitUntil(() => pids.every((pid) => !isAlive(pid)))).toBe(true);
      for (const port of demo.ports) expect(await portIsFree(port)).toBe(true);
    },
  );

  it('stops the gateway when the demo process itself is killed (SIGKILL)', async () => {
    const demo = await startDemo();
    const pids = descendantsOf(demo.npm.pid!);
    const demoNode = pids.find((pid) => descendantsOf(pid).length > 0)!;
    process.kill(demoNode, 'SIGKILL');
    expect(await waitUntil(() => pids.every((pid) => !isAlive(pid)))).toBe(true);
    for (const port of demo.ports) expect(await waitUntil(() => portIsFree(port))).toBe(true);
    if (demo.npm.exitCode === null && demo.npm.signalCode === null) await once(demo.npm, 'exit');
  });
});
