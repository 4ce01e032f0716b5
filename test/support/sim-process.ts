/**
 * The Pancake simulator in its own process (tools/pancake-sim/cli.ts), for tests that
 * stall the test process on purpose: the simulator's arrival clock and rate window must
 * keep running while the gateway under test is starved.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { FaultSpec, RequestLogEntry } from '../../tools/pancake-sim/types.js';

const CLI_PATH = fileURLToPath(new URL('../../tools/pancake-sim/cli.ts', import.meta.url));

export interface SimulatorProcess {
  /** What startGateway needs (the same fields as an in-process Simulator). */
  url: string;
  avatarBaseUrl: string;
  pageTokensEnv: string;
  pages: { pageId: string; token: string }[];
  /** The request log over the control route (GET /__sim/log?page=). */
  requestLog(pageId?: string): Promise<RequestLogEntry[]>;
  clearLog(): Promise<void>;
  /** Queues faults (POST /__sim/faults each, in order: matching requests consume them in order). */
  addFaults(faults: FaultSpec[]): Promise<void>;
  close(): Promise<void>;
}

/** Starts `cli.ts --port 0 ...args` and resolves once it printed its URLs and page tokens. */
export async function startSimulatorProcess(args: string[] = []): Promise<SimulatorProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI_PATH, '--port', '0', ...args], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const printed = new Map<string, string>();
  const pages: { pageId: string; token: string }[] = [];
  await new Promise<void>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      const setting = /^\s*([A-Z_]+)=(\S+)$/.exec(line);
      if (setting) printed.set(setting[1], setting[2]);
      const control = /^\s*control: (\S+)/.exec(line);
      if (control) printed.set('control', control[1]);
      const page = /^page (\S+) token (\S+)$/.exec(line);
      if (page) pages.push({ pageId: page[1], token: page[2] });
      // The customers line follows every page line.
      if (line.startsWith('customers:')) resolve();
    });
    child.on('exit', (code) =>
      reject(new Error(`simulator exited with ${code} before it started: ${stderr.slice(-2000)}`)),
    );
  });
  const controlUrl = printed.get('control') as string;
  return {
    url: printed.get('PANCAKE_BASE_URL') as string,
    avatarBaseUrl: printed.get('PANCAKE_AVATAR_BASE_URL') as string,
    pageTokensEnv: printed.get('PANCAKE_PAGE_TOKENS') as string,
    pages,
    async requestLog(pageId) {
      const query = pageId === undefined ? '' : `?page=${encodeURIComponent(pageId)}`;
      const response = await fetch(`${controlUrl}/log${query}`);
      return (await response.json()) as RequestLogEntry[];
    },
    async clearLog() {
      await (await fetch(`${controlUrl}/log`, { method: 'DELETE' })).arrayBuffer();
    },
    async addFaults(faults) {
      for (const fault of faults) {
        const response = await fetch(`${controlUrl}/faults`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(fault),
        });
        if (response.status !== 201) throw new Error(`fault refused: ${await response.text()}`);
      }
    },
    close: () => stop(child),
  };
}

function stop(child: ChildProcessWithoutNullStreams): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
