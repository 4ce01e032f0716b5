// `npm run sim -- --port 4010 --seed 1 --customers 1000`: runs the simulator until SIGINT/SIGTERM.
import { parseArgs } from 'node:util';
import { startSimulator } from './index.js';
import type { SimulatorOptions } from './types.js';

const USAGE = `Usage: npm run sim -- [--port 4010] [--seed 1] [--customers 250] [--pages 111,222,333]
                        [--rate-limit 5] [--latency 0]`;

function numberOption(
  values: Record<string, string | boolean | undefined>,
  name: string,
): number | undefined {
  const raw = values[name];
  if (typeof raw !== 'string') return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value) && raw !== 'Infinity')
    throw new Error(`--${name} must be a number, got ${raw}`);
  return value;
}

function parseOptions(argv: string[]): SimulatorOptions | undefined {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' },
      seed: { type: 'string' },
      customers: { type: 'string' },
      pages: { type: 'string' },
      'rate-limit': { type: 'string' },
      latency: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return undefined;
  return {
    port: numberOption(values, 'port') ?? 0,
    seed: numberOption(values, 'seed'),
    customers: numberOption(values, 'customers'),
    pages: values.pages?.split(',').map((p) => p.trim()),
    rateLimitPerSecond: numberOption(values, 'rate-limit'),
    latencyMs: numberOption(values, 'latency'),
  };
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  if (!options) {
    console.log(USAGE);
    return;
  }
  const sim = await startSimulator(options);
  const first = sim.pages[0]!;
  const lines = [
    `Pancake simulator listening on http://127.0.0.1:${sim.port} (seed ${options.seed ?? 1})`,
    `  PANCAKE_BASE_URL=${sim.url}`,
    `  PANCAKE_AVATAR_BASE_URL=${sim.avatarBaseUrl}`,
    `  PANCAKE_PAGE_TOKENS=${sim.pageTokensEnv}`,
    `  control: ${sim.controlUrl} (log, faults, pages, health)`,
    ...sim.pages.map((p) => `page ${p.pageId} token ${p.token}`),
    `customers: ${sim.pages.map((p) => `${p.pageId}=${sim.store.count(p.pageId)}`).join(' ')}`,
    `try: curl '${sim.url}/pages/${first.pageId}/page_customers?page_access_token=${first.token}&since=0&until=4102444800&page_number=1&page_size=2'`,
  ];
  console.log(lines.join('\n'));
  const stop = (signal: string) => {
    console.log(`${signal}: closing`);
    void sim.close().then(() => process.exit(0));
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err: unknown) => {
  if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
    // One line naming the port, no usage and no stack: the fix is another --port.
    const port = (err as { port?: number }).port;
    console.error(
      `pancake-sim: port ${port ?? '?'} is already in use; pass --port with another port`,
    );
    process.exit(1);
  }
  console.error(err instanceof Error ? err.message : err);
  console.error(USAGE);
  process.exit(1);
});
