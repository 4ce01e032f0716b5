import { createServer } from 'node:net';
import { DEMO_KEY, startDemoStack, waitForGateway } from '../demo-stack.js';
import { runExamples, type ExampleResult } from './run-examples.js';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The demo stack on free ports, every example run against it, the stack stopped. */
export async function checkExamplesOnDemoStack(dir: string): Promise<ExampleResult[]> {
  const stack = await startDemoStack({ port: await freePort(), simPort: 0 });
  try {
    await waitForGateway(stack.gatewayUrl, 20_000);
    const pageId = stack.sim.pages[0].pageId;
    // The gateway knows a customer by id once it listed it: list first, as a client would.
    const listed = (await (
      await fetch(
        `${stack.gatewayUrl}/v1/pages/${pageId}/customers?since=2024-01-01T00:00:00Z&until=2026-12-31T00:00:00Z&pageSize=3`,
        { headers: { authorization: `Bearer ${DEMO_KEY}` } },
      )
    ).json()) as { nodes: { id: string; psid: string }[] };
    const [customer] = listed.nodes;
    return await runExamples(dir, {
      baseUrl: stack.gatewayUrl,
      key: DEMO_KEY,
      variables: {
        pageId,
        customerId: customer.id,
        psid: customer.psid,
        noteId: '',
        since: '2024-01-01T00:00:00Z',
        until: '2026-12-31T00:00:00Z',
      },
    });
  } finally {
    await stack.stop();
  }
}
