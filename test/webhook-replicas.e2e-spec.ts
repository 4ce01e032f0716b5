// Two gateways on one PostgreSQL database (a fresh one, created from `test` and dropped after):
// both run a dispatcher over the same outbox, and every event reaches the endpoint exactly once.
// (A local helper: test/support/databases.ts comes with another branch.)
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import request from 'supertest';
import { startSimulator, type Simulator } from '../tools/pancake-sim/index.js';
import { bearer, startGateway, type TestGateway } from './support/gateway.js';
import { eventually, verifyWebhook, WebhookReceiver } from './support/webhook-receiver.js';

const TEST_POSTGRES_URL =
  process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';
const CUSTOMERS = 40;

async function onTestDatabase(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function succeededOn(gateway: TestGateway): Promise<number> {
  const { text } = await request(gateway.url).get('/metrics').expect(200);
  const line = /^gateway_webhook_deliveries_total\{outcome="succeeded"\} (\d+)$/m.exec(text);
  return line ? Number(line[1]) : 0;
}

describe('webhooks on two replicas (PostgreSQL)', () => {
  const name = `webhooks_${randomBytes(6).toString('hex')}`;
  let sim: Simulator;
  let gateways: TestGateway[] = [];
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    await onTestDatabase(`create database ${name}`);
    const url = new URL(TEST_POSTGRES_URL);
    url.pathname = `/${name}`;
    sim = await startSimulator({ pages: ['111', '222'], customers: 20 });
    receiver = await new WebhookReceiver().start();
    const env = {
      DATABASE_URL: url.toString(),
      SYNC_PAGES: '111',
      SYNC_INTERVAL_SECONDS: '1',
      WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
      WEBHOOK_POLL_INTERVAL_MS: '50',
      // Small batches, so both dispatchers take part in the run.
      WEBHOOK_MAX_CONCURRENCY: '4',
      WEBHOOK_CONCURRENCY_PER_ENDPOINT: '4',
    };
    gateways = [await startGateway(sim, env), await startGateway(sim, env)];
    await eventually(async () => {
      const { body } = await request(gateways[0].url)
        .get('/v1/pages/111/sync')
        .set('Authorization', bearer());
      return (body as { state: string }).state === 'LIVE' ? true : undefined;
    });
  }, 60_000);

  afterAll(async () => {
    await Promise.all(gateways.map((g) => g.close()));
    await receiver?.close();
    await sim?.close();
    await onTestDatabase(`drop database if exists ${name} with (force)`);
  });

  it('delivers each event once per endpoint', async () => {
    const created = await request(gateways[1].url)
      .post('/v1/webhooks')
      .set('Authorization', bearer())
      .send({ url: receiver.url, pageIds: ['111'] })
      .expect(201);
    const { webhook, secret } = created.body as { webhook: { id: string }; secret: string };
    await request(sim.controlUrl)
      .post('/pages/111/customers')
      .send({ count: CUSTOMERS })
      .expect(201);
    await receiver.waitFor(CUSTOMERS);
    const settled = await eventually(async () => {
      const { body } = await request(gateways[0].url)
        .get(`/v1/webhooks/${webhook.id}/deliveries?limit=500`)
        .set('Authorization', bearer());
      const list = body as { status: string; attempt: number }[];
      return list.length === CUSTOMERS && list.every((d) => d.status === 'SUCCEEDED')
        ? list
        : undefined;
    });
    expect(settled.every((d) => d.attempt === 1)).toBe(true);
    const ids = receiver.received.map((r) => String(r.headers['webhook-id']));
    expect(ids).toHaveLength(CUSTOMERS);
    expect(new Set(ids).size).toBe(CUSTOMERS);
    for (const r of receiver.received)
      expect(verifyWebhook(secret, r).type).toBe('customer.created');
    // The replicas' attempt counters add up to one attempt per event, whoever sent it.
    const sent = await Promise.all(gateways.map((g) => succeededOn(g)));
    expect(sent.reduce((a, b) => a + b, 0)).toBe(CUSTOMERS);
  });
});
