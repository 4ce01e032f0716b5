// `npm run demo`: the Pancake simulator with seeded data and the built gateway in front of it,
// embedded mode (no Redis, no Pancake account). Ctrl-C stops both.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import {
  DEMO_KEY,
  PortInUseError,
  startDemoStack,
  waitForGateway,
  type DemoStack,
} from './demo-stack.js';

const GATEWAY_PORT = Number(process.env.PORT ?? 3000);
const SIM_PORT = Number(process.env.SIM_PORT ?? 4010);
const STOP_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

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

async function main(): Promise<void> {
  // Handlers first: a signal during the build or the start must stop what started, too.
  const running: { stack?: DemoStack; build?: ChildProcess } = {};
  let stopping = false;
  const stop = async (code: number): Promise<void> => {
    if (stopping) return;
    stopping = true;
    running.build?.kill('SIGTERM');
    await running.stack?.stop();
    process.exit(code);
  };
  // npm forwards SIGINT and SIGTERM to this process; SIGHUP comes when the terminal closes.
  for (const signal of STOP_SIGNALS) process.on(signal, () => void stop(0));

  // `npm run demo -- --no-build` (tests) uses the dist as it is.
  if (!process.argv.includes('--no-build')) {
    running.build = spawn('npm', ['run', 'build'], { stdio: 'inherit' });
    const [status] = (await once(running.build, 'exit')) as [number | null];
    if (status !== 0 && !stopping) process.exit(status ?? 1);
  }
  if (stopping) return;
  running.stack = await startDemoStack({
    port: GATEWAY_PORT,
    simPort: SIM_PORT,
    logLevel: process.env.LOG_LEVEL,
  });
  const { sim, gateway, gatewayUrl } = running.stack;
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
      `  Dashboard ${gatewayUrl}/ui/   (sign in with the API key below, then page ${pageId})`,
      `  GraphQL   ${gatewayUrl}/graphql   (IDE in a browser: ${gatewayUrl}/graphiql)`,
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
  if (error instanceof PortInUseError) console.error(`demo: ${error.message}`);
  else console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
