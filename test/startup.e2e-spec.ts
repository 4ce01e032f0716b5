// What an operator sees at start: a busy port as one line, warnings for a gateway that cannot
// serve anyone, production mode from `npm run start:prod`. Uses the built dist (npm run build).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const MAIN = join(ROOT, 'dist/main.js');
const SIM_CLI = join(ROOT, 'tools/pancake-sim/cli.ts');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end (or until `until` matches stdout, then SIGTERM). */
function run(
  args: string[],
  env: Record<string, string>,
  options: { cwd?: string; until?: RegExp } = {},
): Promise<Run> {
  const child = spawn(process.execPath, args, {
    cwd: options.cwd ?? ROOT,
    env: { ...process.env, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let signalled = false;
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    // Once: a second SIGTERM during the drain would kill it by the default action.
    if (!signalled && options.until?.test(stdout)) signalled = child.kill('SIGTERM');
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

async function occupiedPort(): Promise<Server> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

describe('start-up (e2e, built dist)', () => {
  let busy: Server;
  let port: number;
  beforeAll(async () => {
    busy = await occupiedPort();
    port = (busy.address() as AddressInfo).port;
  });
  afterAll(() => new Promise((resolve) => busy.close(resolve)));

  it('names a busy port and its variable in one line, exit 1 (gateway)', async () => {
    const result = await run([MAIN], { PORT: String(port), HOST: '127.0.0.1' });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `pancake-gateway: port ${port} on 127.0.0.1 is already in use; set PORT to another port\n`,
    );
    expect(result.stdout).not.toContain('EADDRINUSE');
  });

  it('names a busy port in one line, exit 1 (simulator)', async () => {
    const result = await run(['--import', 'tsx', SIM_CLI, '--port', String(port)], {});
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `pancake-sim: port ${port} is already in use; pass --port with another port\n`,
    );
  });

  it('names a busy SIM_PORT in one line, exit 1 (demo)', async () => {
    const result = await new Promise<Run>((resolve) => {
      const child = spawn('npm', ['run', '--silent', 'demo', '--', '--no-build'], {
        cwd: ROOT,
        env: { ...process.env, SIM_PORT: String(port), PORT: '0' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `demo: port ${port} is already in use; set SIM_PORT to another port\n`,
    );
  });

  it('warns when no API keys or pages are configured; production writes no schema.gql', async () => {
    // An empty working directory: development mode would write schema.gql into it.
    const cwd = mkdtempSync(join(tmpdir(), 'pgw-start-'));
    try {
      const result = await run(
        [MAIN],
        { PORT: '0', NODE_ENV: 'production', GATEWAY_API_KEYS: '', PANCAKE_PAGE_TOKENS: '' },
        { cwd, until: /pancake-gateway listening[\s\S]*no pages configured/ },
      );
      expect(result.code).toBe(0);
      const warnings = result.stdout
        .split('\n')
        .filter((line) => line.includes('"level":"warn"'))
        .map((line) => (JSON.parse(line) as { msg: string }).msg);
      expect(warnings).toEqual([
        'no API keys configured (GATEWAY_API_KEYS): every API call will get 401',
        'no pages configured (PANCAKE_PAGE_TOKENS): every page will get 404',
      ]);
      expect(existsSync(join(cwd, 'schema.gql'))).toBe(false);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });
});
