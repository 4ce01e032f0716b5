// `npm run demo`: the Pancake simulator with seeded data and the built gateway in front of it,
// embedded mode (no Redis, no Pancake account). Ctrl-C stops both.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { startSimulator, type Simulator } from './pancake-sim/index.js';

const GATEWAY_PORT = Number(process.env.PORT ?? 3000);
const DEMO_KEY = 'demo-key-change-me-0123456789';

async function waitForGateway(url: string, timeoutMs: number): Promise<void> {
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

function examples(base: string, pageId: string, customerId: string | undefined): string {
  const auth = `-H 'Authorization: Bearer ${DEMO_KEY}'`;
  const query = `{ customers(pageId: \\"${pageId}\\", since: \\"2024-01-01T00:00:00Z\\", until: \\"2026-12-31T00:00:00Z\\", pageSize: 3) { total hasNextPage nodes { id name phoneNumbers avatarUrl notes { id message createdAt } } } }`;
  const lines = [
    'GraphQL: list customers with notes and avatar URLs',
    `  curl -s ${base}/graphql ${auth} -H 'Content-Type: application/json' \\`,
    `    -d '{"query":"${query}"}'`,
    '',
    'REST: the same page',
    `  curl -s '${base}/v1/pages/${pageId}/customers?since=2024-01-01T00:00:00Z&until=2026-12-31T00:00:00Z&pageSize=3' ${auth}`,
  ];
  if (customerId) {
    const mutation = `mutation { addCustomerPhoneNumbers(pageId: \\"${pageId}\\", id: \\"${customerId}\\", phoneNumbers: [\\"090 123-4567\\"]) { id phoneNumbers } }`;
    lines.push(
      '',
      'GraphQL: add a phone number (normalized to E.164, merged with the current list)',
      `  curl -s ${base}/graphql ${auth} -H 'Content-Type: application/json' \\`,
      `    -d '{"query":"${mutation}"}'`,
      '',
      'REST: the same mutation',
      `  curl -s -X POST ${base}/v1/pages/${pageId}/customers/${customerId}/phone-numbers ${auth} \\`,
      `    -H 'Content-Type: application/json' -d '{"phoneNumbers":["+84 912 345 678"]}'`,
    );
  }
  return lines.join('\n');
}

/** The simulator on SIM_PORT; a busy port ends the demo with one line naming the variable. */
async function startDemoSimulator(port: number): Promise<Simulator> {
  try {
    return await startSimulator({ port, customers: 1000 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    console.error(`demo: port ${port} is already in use; set SIM_PORT to another port`);
    process.exit(1);
  }
}

async function main(): Promise<void> {
  const sim = await startDemoSimulator(Number(process.env.SIM_PORT ?? 4010));
  const gatewayUrl = `http://127.0.0.1:${GATEWAY_PORT}`;
  const gateway = spawn(process.execPath, ['dist/main.js'], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      ...process.env,
      NODE_ENV: 'development',
      PORT: String(GATEWAY_PORT),
      PANCAKE_BASE_URL: sim.url,
      PANCAKE_AVATAR_BASE_URL: sim.avatarBaseUrl,
      PANCAKE_PAGE_TOKENS: sim.pageTokensEnv,
      GATEWAY_API_KEYS: `demo=${DEMO_KEY}`,
      REDIS_URL: '',
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    },
  });
  let stopping = false;
  const stop = async (code: number): Promise<void> => {
    if (stopping) return;
    stopping = true;
    if (gateway.exitCode === null) {
      gateway.kill('SIGTERM');
      await once(gateway, 'exit');
    }
    await sim.close();
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
  gateway.on('exit', (code) => {
    if (!stopping) {
      // A busy PORT has been named by the gateway itself on stderr.
      if (code !== 1) console.error(`the gateway exited (code ${code}); stopping the simulator`);
      void stop(code ?? 1);
    }
  });
  await waitForGateway(gatewayUrl, 20_000);
  const pageId = sim.pages[0].pageId;
  // Ask once so the gateway has seen (indexed) a customer the mutation example can name.
  const listed = await fetch(
    `${gatewayUrl}/v1/pages/${pageId}/customers?since=2024-01-01T00:00:00Z&until=2026-12-31T00:00:00Z&pageSize=3`,
    { headers: { authorization: `Bearer ${DEMO_KEY}` } },
  )
    .then((r) => r.json() as Promise<{ nodes?: { id: string }[] }>)
    .catch(() => ({ nodes: [] as { id: string }[] }));
  console.log(
    [
      '',
      'pancake-gateway demo (embedded mode: no Redis, simulated Pancake)',
      `  GraphQL   ${gatewayUrl}/graphql   (Apollo Sandbox in a browser)`,
      `  REST      ${gatewayUrl}/v1/pages/${pageId}/customers`,
      `  API docs  ${gatewayUrl}/docs   (OpenAPI JSON at ${gatewayUrl}/docs-json)`,
      `  health    ${gatewayUrl}/health/ready   metrics ${gatewayUrl}/metrics`,
      `  API key   ${DEMO_KEY}`,
      `  Pancake simulator ${sim.url} (${sim.pages.map((p) => `page ${p.pageId} token ${p.token}`).join(', ')})`,
      '',
      examples(gatewayUrl, pageId, listed.nodes?.[0]?.id),
      '',
      'Ctrl-C stops the gateway and the simulator.',
    ].join('\n'),
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
