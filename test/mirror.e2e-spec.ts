/**
 * The customer mirror end to end, on PGlite and on PostgreSQL: the gateway syncs pages of the
 * simulator over HTTP, the tests change customers behind its back through /__sim (as Pancake's
 * dashboard would) and read the mirror's rows and events from its database.
 *
 * Pages: 111 (250 customers) takes every change; 222 (250) stays quiet, so its mirror and
 * upstream answers must be equal; 333 (3,000) answers each list 1.5 s late, so its backfill
 * lasts the whole suite; 444 is not synced (bad input there must never reach upstream); 555's first list answer takes
 * 9 s, longer than its sync lease lives unrenewed.
 */
import request from 'supertest';
import { DatabaseService } from '../src/infra/database/database.service.js';
import { startSimulator, type Simulator } from '../tools/pancake-sim/index.js';
import { describeOnDatabases } from './support/databases.js';
import { ALL_TIME, bearer, startGateway, type TestGateway } from './support/gateway.js';
import { CUSTOMER_FIELDS, GraphqlClient, type GqlBody } from './support/graphql-client.js';
import { waitFor } from './support/wait-for.js';

interface SyncStatusJson {
  pageId: string;
  state: string;
  customers: number;
  lastPolledAt: string | null;
  lagSeconds: number | null;
  backfillProgress: number | null;
}

interface SimCustomer {
  id: string;
  name: string | null;
  inserted_at: string;
  updated_at: string;
}

const BUSY = '111';
const QUIET = '222';
const STUCK = '333';
const UNSYNCED = '444';
const SLOW = '555';

describeOnDatabases('the customer mirror', (database) => {
  let sim: Simulator;
  let gateway: TestGateway;
  let graphql: GraphqlClient;

  beforeAll(async () => {
    sim = await startSimulator({
      seed: 13,
      pages: [BUSY, QUIET, STUCK, UNSYNCED, SLOW],
      customersByPage: { [BUSY]: 250, [QUIET]: 250, [STUCK]: 3000, [UNSYNCED]: 20, [SLOW]: 20 },
    });
    sim.injectFault({
      pageId: STUCK,
      operation: 'list',
      kind: 'latency',
      latencyMs: 1500,
      count: 1000,
    });
    sim.injectFault({
      pageId: SLOW,
      operation: 'list',
      kind: 'latency',
      latencyMs: 9000,
      count: 1,
    });
    gateway = await startGateway(sim, {
      ...database.env,
      SYNC_PAGES: [BUSY, QUIET, STUCK, SLOW].join(','),
      SYNC_INTERVAL_SECONDS: '1',
      SYNC_MAX_REQUESTS_PER_SECOND: '4',
      SYNC_RECONCILE_INTERVAL_SECONDS: '10',
    });
    graphql = new GraphqlClient(gateway.url);
  }, 60_000);

  afterAll(async () => {
    // The gateway first: its sync stops after the request in flight, while the simulator answers.
    await gateway.close();
    await sim.close();
  });

  const db = () => gateway.app.get(DatabaseService).db();

  const get = (path: string) => request(gateway.url).get(path).set('Authorization', bearer());

  const status = async (pageId: string): Promise<SyncStatusJson> => {
    const response = await get(`/v1/pages/${pageId}/sync`);
    expect(response.status).toBe(200);
    return response.body as SyncStatusJson;
  };

  const live = (pageId: string) =>
    waitFor(`page ${pageId} live`, async () => {
      const current = await status(pageId);
      return current.state === 'LIVE' ? current : undefined;
    });

  const simControl = async (method: string, path: string, body?: unknown): Promise<unknown> => {
    const response = await fetch(`${sim.controlUrl}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    expect(response.ok).toBe(true);
    return response.json();
  };

  const createdEvents = async (pageId: string) =>
    (await db())
      .selectFrom('customer_events')
      .select(['id', 'customer_id', 'origin'])
      .where('page_id', '=', pageId)
      .where('type', '=', 'CUSTOMER_CREATED')
      .execute();

  const mirroredIds = async (pageId: string): Promise<string[]> =>
    (
      await (
        await db()
      )
        .selectFrom('mirror_customers')
        .select('id')
        .where('page_id', '=', pageId)
        .execute()
    ).map((row) => row.id);

  const mirroredName = async (pageId: string, id: string): Promise<string | null | undefined> =>
    (
      await (
        await db()
      )
        .selectFrom('mirror_customers')
        .select('name')
        .where('page_id', '=', pageId)
        .where('id', '=', id)
        .executeTakeFirst()
    )?.name;

  const updateEvents = async (pageId: string, customerId: string) =>
    (await db())
      .selectFrom('customer_events')
      .select(['type', 'origin', 'changed_fields'])
      .where('page_id', '=', pageId)
      .where('customer_id', '=', customerId)
      .where('type', '=', 'CUSTOMER_UPDATED')
      .execute();

  /** The simulator's customers of a page, as stored (the expected content of the mirror). */
  const upstreamIds = (pageId: string): string[] =>
    sim.store.listCustomers(pageId).map((customer) => customer.id);

  /** A seeded customer no test touches otherwise (old updated_at: outside every delta window). */
  const seeded = (index: number): SimCustomer => sim.store.listCustomers(BUSY)[index];

  const syncRequests = async (kind: string): Promise<number> => {
    const text = (await request(gateway.url).get('/metrics')).text;
    return text
      .split('\n')
      .filter(
        (line) =>
          line.startsWith('gateway_sync_requests_total{') &&
          line.includes(`page="${BUSY}"`) &&
          line.includes(`kind="${kind}"`),
      )
      .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
  };

  // First: the slow answer is requested at boot.
  it('keeps the lease while an upstream answer is slow: the page stays BACKFILLING', async () => {
    // Past the lease TTL (2 s) plus the 3 intervals after which an unrenewed lease shows PAUSED.
    await waitFor(
      "page 555's first list in flight for 6 s",
      async () =>
        sim
          .requestLog(SLOW)
          .find((entry) => entry.status === 0 && Date.now() - entry.receivedAt >= 6000),
      { boundMs: 15_000, intervalMs: 20 },
    );
    expect((await status(SLOW)).state).toBe('BACKFILLING');
  });

  it('backfill sees every customer once: one CUSTOMER_CREATED per customer, and its row', async () => {
    const synced = await live(BUSY);
    expect(synced.customers).toBe(250);
    expect(synced.backfillProgress).toBe(1);

    const created = await createdEvents(BUSY);
    const customerIds = created.map((event) => event.customer_id);
    expect(new Set(customerIds).size).toBe(customerIds.length);
    expect([...customerIds].sort()).toEqual(upstreamIds(BUSY).sort());
    expect(new Set(created.map((event) => event.id)).size).toBe(created.length);
    expect(created.every((event) => event.origin === 'PANCAKE')).toBe(true);
    expect((await mirroredIds(BUSY)).sort()).toEqual(upstreamIds(BUSY).sort());
  });

  it('answers source=mirror with 409 SYNC_NOT_READY and the state while a page backfills', async () => {
    await waitFor('page 333 backfilling', async () =>
      (await status(STUCK)).state === 'BACKFILLING' ? true : undefined,
    );
    const rest = await get(`/v1/pages/${STUCK}/customers`).query({ ...ALL_TIME, source: 'mirror' });
    expect(rest.status).toBe(409);
    expect(rest.body.error.code).toBe('SYNC_NOT_READY');
    expect(rest.body.error.details).toMatchObject({ pageId: STUCK, state: 'BACKFILLING' });
    expect(rest.body.error.message).toContain('BACKFILLING');

    const { body } = await graphql.gql(
      `query { customers(pageId: "${STUCK}", since: "${ALL_TIME.since}", until: "${ALL_TIME.until}", source: MIRROR) { total } }`,
    );
    expect(body.errors?.[0].extensions.code).toBe('SYNC_NOT_READY');
    expect(body.errors?.[0].message).toContain('BACKFILLING');

    // A page stuck in its backfill does not take the replica out of rotation.
    const ready = await request(gateway.url).get('/health/ready');
    expect(ready.status).toBe(200);
  });

  it('50 customers inserted in one second all arrive, each with its CUSTOMER_CREATED', async () => {
    await live(BUSY);
    const { customers } = (await simControl('POST', `/pages/${BUSY}/customers`, {
      count: 50,
    })) as { customers: SimCustomer[] };
    expect(customers).toHaveLength(50);
    expect(new Set(customers.map((c) => c.updated_at.slice(0, 19))).size).toBe(1);
    const inserted = customers.map((c) => c.id);

    await waitFor('the 50 inserted customers mirrored', async () => {
      const ids = new Set(await mirroredIds(BUSY));
      return inserted.every((id) => ids.has(id)) ? true : undefined;
    });
    const created = (await createdEvents(BUSY)).map((event) => event.customer_id);
    for (const id of inserted) expect(created.filter((c) => c === id)).toHaveLength(1);
  });

  it('a late change (visible only after its updated_at passed) arrives through the overlap', async () => {
    const target = seeded(3);
    const changed = (await simControl('PATCH', `/pages/${BUSY}/customers/${target.id}`, {
      changes: { name: 'Late Lan' },
      lateByMs: 3000,
    })) as SimCustomer;
    // Pancake still shows the old version: the change is pending.
    const view = (await simControl('GET', `/pages/${BUSY}/customers/${target.id}`)) as {
      name: string;
      pending?: unknown;
    };
    expect(view.pending).toBeDefined();
    expect(view.name).toBe(target.name);

    await waitFor('the late change mirrored', async () =>
      (await mirroredName(BUSY, target.id)) === 'Late Lan' ? true : undefined,
    );
    const events = await updateEvents(BUSY, target.id);
    expect(events).toEqual([
      { type: 'CUSTOMER_UPDATED', origin: 'PANCAKE', changed_fields: ['name'] },
    ]);
    expect(changed.updated_at).not.toBe(target.updated_at);
  });

  it('the reconcile finds a silent change (updated_at kept) that deltas cannot see', async () => {
    const target = seeded(7);
    const reconcileRequestsBefore = await syncRequests('reconcile');
    await simControl('PATCH', `/pages/${BUSY}/customers/${target.id}`, {
      changes: { name: 'Silent Son' },
      keepUpdatedAt: true,
    });
    await waitFor(
      'the silent change mirrored',
      async () => ((await mirroredName(BUSY, target.id)) === 'Silent Son' ? true : undefined),
      { boundMs: 40_000 },
    );
    expect(await syncRequests('reconcile')).toBeGreaterThan(reconcileRequestsBefore);
    expect(await updateEvents(BUSY, target.id)).toEqual([
      { type: 'CUSTOMER_UPDATED', origin: 'PANCAKE', changed_fields: ['name'] },
    ]);
  }, 60_000);

  it.each(['inserted_at', 'updated_at'] as const)(
    'mirror and upstream answer the same on a quiet page (REST and GraphQL, orderBy %s)',
    async (orderBy) => {
      await live(QUIET);
      for (const pageNumber of [1, 2, 3]) {
        const query = { ...ALL_TIME, orderBy, pageNumber, pageSize: 100 };
        const [mirror, upstream] = await Promise.all(
          (['mirror', 'upstream'] as const).map((source) =>
            get(`/v1/pages/${QUIET}/customers`).query({ ...query, source }),
          ),
        );
        expect([mirror.status, upstream.status]).toEqual([200, 200]);
        expect(mirror.headers['x-data-source']).toBe('mirror');
        expect(upstream.headers['x-data-source']).toBe('upstream');
        expect(mirror.body.total).toBe(250);
        expect(mirror.body.nodes.length).toBe(pageNumber < 3 ? 100 : 50);
        expect(mirror.body.total).toBe(upstream.body.total);
        expect(mirror.body.hasNextPage).toBe(upstream.body.hasNextPage);
        expect(mirror.body.nodes).toEqual(upstream.body.nodes);
        expect(mirror.body.source).toBe('MIRROR');
        expect(upstream.body.source).toBe('UPSTREAM');

        const answers = await Promise.all(
          (['MIRROR', 'UPSTREAM'] as const).map(
            async (source) =>
              (
                await graphql.gql(
                  `query($pageId: ID!, $since: DateTime!, $until: DateTime!, $pageNumber: Int) {
                    customers(pageId: $pageId, since: $since, until: $until, pageNumber: $pageNumber,
                      pageSize: 100, orderBy: ${orderBy.toUpperCase()}, source: ${source}) {
                      total hasNextPage source nodes { ${CUSTOMER_FIELDS} }
                    }
                  }`,
                  { pageId: QUIET, ...ALL_TIME, pageNumber },
                )
              ).body,
          ),
        );
        const [fromMirror, fromUpstream] = answers.map((body: GqlBody) => {
          expect(body.errors).toBeUndefined();
          return body;
        });
        expect(fromMirror.extensions).toMatchObject({ dataSource: 'MIRROR' });
        expect(fromUpstream.extensions).toMatchObject({ dataSource: 'UPSTREAM' });
        const [a, b] = [fromMirror, fromUpstream].map(
          (body) => body.data!.customers as { total: number; nodes: unknown[]; source: string },
        );
        expect([a.source, b.source]).toEqual(['MIRROR', 'UPSTREAM']);
        expect(a.total).toBe(b.total);
        expect(a.nodes).toEqual(b.nodes);
      }
    },
  );

  it('refuses a bad source or page id with 400 naming the field, and never asks upstream', async () => {
    sim.clearLog();
    const id = sim.store.listCustomers(UNSYNCED)[0].id;
    const list = await get(`/v1/pages/${UNSYNCED}/customers`).query({
      ...ALL_TIME,
      source: 'cache',
    });
    expect(list.status).toBe(400);
    expect(list.body.error.code).toBe('BAD_USER_INPUT');
    expect(list.body.error.message).toContain('source');
    const one = await get(`/v1/pages/${UNSYNCED}/customers/${id}`).query({ source: 'MIRROR!' });
    expect(one.status).toBe(400);
    expect(one.body.error.message).toContain('source');

    const { body } = await graphql.gql(
      `query { customers(pageId: "${UNSYNCED}", since: "${ALL_TIME.since}", until: "${ALL_TIME.until}", source: CACHE) { total } }`,
    );
    expect(body.errors?.[0].message).toContain('CACHE');
    expect(body.data ?? null).toBeNull();

    const sync = await get('/v1/pages/12ab/sync');
    expect(sync.status).toBe(400);
    expect(sync.body.error.message).toContain('pageId');

    // A page nobody syncs is not silently read upstream when the mirror is asked for.
    const unsynced = await get(`/v1/pages/${UNSYNCED}/customers`).query({
      ...ALL_TIME,
      source: 'mirror',
    });
    expect(unsynced.status).toBe(409);
    expect(unsynced.body.error.details).toMatchObject({ state: 'PAUSED' });

    expect(sim.requestLog(UNSYNCED)).toEqual([]);
  });

  it('finds a mirrored customer the client never listed, and writes to it without a list', async () => {
    await live(BUSY);
    const target = seeded(11);
    const byMirror = await get(`/v1/pages/${BUSY}/customers/${target.id}`);
    expect(byMirror.status).toBe(200);
    expect(byMirror.headers['x-data-source']).toBe('mirror');
    expect(byMirror.body.id).toBe(target.id);

    const { body } = await graphql.gql(
      `query($pageId: ID!, $id: ID!) { customer(pageId: $pageId, id: $id, source: UPSTREAM) { id name } }`,
      { pageId: BUSY, id: target.id },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data!.customer).toEqual({ id: target.id, name: target.name });
    expect(body.extensions).toMatchObject({ dataSource: 'UPSTREAM' });

    const written = await request(gateway.url)
      .patch(`/v1/pages/${BUSY}/customers/${target.id}`)
      .set('Authorization', bearer())
      .send({ name: 'Written Wu' });
    expect(written.status).toBe(200);
    expect(written.body.name).toBe('Written Wu');
    expect(sim.store.getCustomer(BUSY, target.id)?.name).toBe('Written Wu');

    // The write's read-back is in the mirror at once, recorded as the gateway's own change.
    const readBack = await get(`/v1/pages/${BUSY}/customers/${target.id}`).query({
      source: 'mirror',
    });
    expect(readBack.status).toBe(200);
    expect(readBack.body.name).toBe('Written Wu');
    expect(await updateEvents(BUSY, target.id)).toEqual([
      { type: 'CUSTOMER_UPDATED', origin: 'GATEWAY', changed_fields: ['name'] },
    ]);
  });

  it('exposes the mirror in /metrics and stays ready', async () => {
    await live(BUSY);
    const text = (await request(gateway.url).get('/metrics')).text;
    for (const name of [
      'gateway_mirror_customers',
      'gateway_mirror_lag_seconds',
      'gateway_mirror_backfill_progress',
    ])
      expect(text).toMatch(new RegExp(`^${name}\\{page="${BUSY}"\\} \\d`, 'm'));
    expect(text).toMatch(
      new RegExp(`^gateway_sync_requests_total\\{[^}]*page="${BUSY}"[^}]*kind="backfill"`, 'm'),
    );
    const ready = await request(gateway.url).get('/health/ready');
    expect(ready.status).toBe(200);
  });

  it('holds every customer of the busy page once, with exactly one CUSTOMER_CREATED each', async () => {
    const expected = upstreamIds(BUSY).sort();
    expect(expected).toHaveLength(300);
    const mirrored = await waitFor('every customer mirrored', async () => {
      const ids = (await mirroredIds(BUSY)).sort();
      return ids.length === expected.length ? ids : undefined;
    });
    expect(mirrored).toEqual(expected);
    const created = (await createdEvents(BUSY)).map((event) => event.customer_id).sort();
    expect(created).toEqual(expected);
    expect((await status(BUSY)).customers).toBe(300);
  });

  it("replays a repeated mirror read from its bytes until the page's mirror changes", async () => {
    await live(QUIET);
    const read = () =>
      get(`/v1/pages/${QUIET}/customers`).query({ ...ALL_TIME, pageSize: 5, source: 'mirror' });
    const first = await read();
    expect(first.status).toBe(200);
    expect(first.headers['x-cache']).toBe('MISS');
    const again = await read();
    expect(again.headers).toMatchObject({ 'x-cache': 'HIT', 'x-data-source': 'mirror' });
    expect(again.body).toEqual(first.body);

    // A write through the gateway changes the page's mirror: the next read is made afresh.
    const target = (first.body as { nodes: { id: string }[] }).nodes[0]!;
    const written = await request(gateway.url)
      .patch(`/v1/pages/${QUIET}/customers/${target.id}`)
      .set('Authorization', bearer())
      .send({ name: 'Replayed Ruan' });
    expect(written.status).toBe(200);
    const after = await read();
    expect(after.headers['x-cache']).toBe('MISS');
    const names = (after.body as { nodes: { id: string; name: string }[] }).nodes.map(
      (n) => n.name,
    );
    expect(names).toContain('Replayed Ruan');
  });
});
