// The change feed across replicas on one PostgreSQL: replica A polls the page, replica B only
// serves; an event A records reaches B's graphql-ws subscriber and SSE reader through
// LISTEN/NOTIFY, once each. The database is this suite's own, created from `test` and dropped
// after (a local helper; test/support/databases.ts on i13-e2e does the same for every suite).
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import request from 'supertest';
import { startSimulator, type Simulator } from '../tools/pancake-sim/index.js';
import { readSse, subscribe, until, type FeedEventShape } from './support/feed-clients.js';
import { bearer, startGateway, type TestGateway } from './support/gateway.js';

const PAGE = '111';
const TEST_POSTGRES_URL =
  process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';

async function onTestDatabase(sql: string): Promise<void> {
  const client = new pg.Client({
    connectionString: TEST_POSTGRES_URL,
    connectionTimeoutMillis: 3000,
  });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

describe('change feed across replicas (PostgreSQL LISTEN/NOTIFY)', () => {
  const name = `feed_${randomBytes(6).toString('hex')}`;
  let available = true;
  let sim: Simulator;
  let polling: TestGateway;
  let serving: TestGateway;

  beforeAll(async () => {
    try {
      await onTestDatabase(`create database ${name}`);
    } catch (error) {
      // Like Redis: skipped loudly on a machine without the server, a failure under CI.
      if (process.env.CI === 'true') throw error;
      available = false;
      console.warn(
        `PostgreSQL at ${TEST_POSTGRES_URL} does not answer: replica feed tests SKIPPED`,
      );
      return;
    }
    const url = new URL(TEST_POSTGRES_URL);
    url.pathname = `/${name}`;
    sim = await startSimulator({ customers: 10, pages: [PAGE, '222'] });
    polling = await startGateway(sim, {
      DATABASE_URL: url.toString(),
      SYNC_PAGES: PAGE,
      SYNC_INTERVAL_SECONDS: '1',
    });
    serving = await startGateway(sim, { DATABASE_URL: url.toString(), SYNC_PAGES: 'none' });
  });

  afterAll(async () => {
    await serving?.close();
    await polling?.close();
    await sim?.close();
    if (available) await onTestDatabase(`drop database if exists ${name} with (force)`);
  });

  it('delivers an event polled by replica A to a subscriber and an SSE reader on replica B, once', async () => {
    if (!available) return;
    let live = false;
    await until(
      () => live,
      'page live on A',
      25_000,
      async () => {
        const status = await request(serving.url)
          .get(`/v1/pages/${PAGE}/sync`)
          .set('Authorization', bearer());
        live = status.body.state === 'LIVE';
      },
    );
    const head = (
      await request(serving.url)
        .get(`/v1/pages/${PAGE}/events?limit=1000`)
        .set('Authorization', bearer())
    ).body.nextCursor as string;

    const subscriber = subscribe(serving.url, bearer(), { pageId: PAGE, after: head });
    const sse = await readSse(`${serving.url}/v1/pages/${PAGE}/events?after=${head}`, {
      authorization: bearer(),
    });
    const ids: string[] = [];
    for (const name of ['Replica one', 'Replica two']) {
      const response = await fetch(`${sim.controlUrl}/pages/${PAGE}/customers`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ customers: [{ name }] }),
      });
      const id = ((await response.json()) as { customers: { id: string }[] }).customers[0].id;
      ids.push(id);
      const arrived = (events: FeedEventShape[]) =>
        events.some((e) => e.type === 'CUSTOMER_CREATED' && e.customerId === id);
      await until(() => arrived(subscriber.events) && arrived(sse.events), `${name} on B`);
    }
    expect(subscriber.events.map((e) => e.customerId)).toEqual(ids);
    expect(sse.events.map((e) => e.customerId)).toEqual(ids);
    await subscriber.dispose();
    sse.close();
  });
});
