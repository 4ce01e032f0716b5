import { jest } from '@jest/globals';
import { ErrorCode } from '../common/errors/error-code.js';
import { GatewayError } from '../common/errors/gateway-error.js';
import { loadConfig } from '../config/load-config.js';
import { GatewayMetrics } from '../metrics/gateway-metrics.js';
import { NoConnectionShare } from './connection-permits.js';
import type { PageRateLimiter } from './limiter/page-rate-limiter.js';
import type { PancakeHttp, UpstreamResponse } from './pancake-http.js';
import { PancakeTransport } from './pancake-transport.js';
import { PancakeClient } from './pancake.client.js';

const QUERY = {
  since: new Date('2025-01-01T00:00:00Z'),
  until: new Date('2025-02-01T00:00:00Z'),
  pageNumber: 1,
  pageSize: 10,
  orderBy: 'inserted_at' as const,
};
const EMPTY_PAGE: UpstreamResponse = {
  status: 200,
  body: { total: 0, customers: [], success: true },
};

/** A client over fakes of its ports that record the order of what it does. */
function harness() {
  const events: string[] = [];
  let grant: (release: () => void) => void = () => undefined;
  let refuse: (error: unknown) => void = () => undefined;
  const http = {
    connectionShare: jest.fn(
      () =>
        new Promise<() => void>((resolve, reject) => {
          events.push('share asked');
          grant = resolve;
          refuse = reject;
        }),
    ),
    send: jest.fn(async () => (events.push('sent'), EMPTY_PAGE)),
  };
  const limiter = {
    acquire: jest.fn(
      async () => (events.push('slot'), { waitedMs: 0, slotAt: Date.now(), mayDepart: () => true }),
    ),
    pause: jest.fn(async () => undefined),
    queueLength: () => 0,
  };
  const config = loadConfig({ PANCAKE_PAGE_TOKENS: '111=token-111-abcdef' });
  const transport = new PancakeTransport(
    config,
    limiter as unknown as PageRateLimiter,
    http as unknown as PancakeHttp,
    new GatewayMetrics({ defaultMetrics: false }),
  );
  const client = new PancakeClient(config, transport);
  const release = () => events.push('released');
  return {
    client,
    events,
    limiter,
    grant: () => grant(release),
    refuse: (e: unknown) => refuse(e),
  };
}

describe('PancakeClient and the connection share of a page', () => {
  it('takes the share before reserving a slot, so a request never waits for a connection after its slot', async () => {
    const { client, events, limiter, grant } = harness();
    const read = client.listCustomers('111', QUERY);
    await new Promise((resolve) => setImmediate(resolve));
    expect(events).toEqual(['share asked']);
    expect(limiter.acquire).not.toHaveBeenCalled();
    grant();
    await read;
    expect(events).toEqual(['share asked', 'slot', 'sent', 'released']);
  });

  it('gives the share back when no slot comes', async () => {
    const { client, events, limiter, grant } = harness();
    limiter.acquire.mockRejectedValueOnce(GatewayError.rateLimited('queue full', 2));
    const read = client.listCustomers('111', QUERY);
    await new Promise((resolve) => setImmediate(resolve));
    grant();
    await expect(read).rejects.toMatchObject({ code: ErrorCode.RATE_LIMITED });
    expect(events).toEqual(['share asked', 'released']);
  });

  it('answers RATE_LIMITED with a hint when no share comes, having sent nothing', async () => {
    const { client, events, refuse } = harness();
    const read = client.listCustomers('111', QUERY);
    await new Promise((resolve) => setImmediate(resolve));
    refuse(new NoConnectionShare('timeout', 10_000));
    await expect(read).rejects.toMatchObject({
      code: ErrorCode.RATE_LIMITED,
      retryAfterSeconds: 10,
    });
    expect(events).toEqual(['share asked']);
  });
});
