/**
 * Data products end to end (issue 15): the real app syncs pages from the simulator into the
 * mirror (PGlite in memory, then a fresh PostgreSQL database), and the export, the search and
 * the counts are read back over HTTP and checked against what the simulator holds.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { parse } from 'csv-parse/sync';
import pg from 'pg';
import request from 'supertest';
import { startSimulator, type Simulator } from '../tools/pancake-sim/index.js';
import { bearer, startGateway, TEST_KEYS, type TestGateway } from './support/gateway.js';

// A local helper (test/support/databases.ts comes with the i13-e2e branch): a database of this
// suite's own on the server, created from `test` and dropped after.
const TEST_POSTGRES_URL =
  process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';

async function onTestDatabase(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

async function freshPostgres(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `products_${randomBytes(6).toString('hex')}`;
  await onTestDatabase(`create database ${name}`);
  const url = new URL(TEST_POSTGRES_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => onTestDatabase(`drop database if exists ${name} with (force)`),
  };
}

/** Polls until `probe` gives a value; the bound only keeps a broken run from hanging. */
async function waitFor<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
  const boundAt = Date.now() + 25_000;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > boundAt) throw new Error(`${what}: not reached`);
    await sleep(100);
  }
}

/** The export columns of each CRM profile, as the README's mapping table documents them. */
function documentedColumns(): { hubspot: string[]; salesforce: string[] } {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const table = readme.slice(readme.indexOf('| Customer field'));
  const lines = table.split('\n');
  const rows = lines.slice(
    2,
    lines.findIndex((line) => !line.startsWith('|')),
  );
  const cell = (line: string, i: number): string =>
    line.split('|')[i]!.trim().replace(/^`|`$/g, '');
  return {
    hubspot: rows.map((line) => cell(line, 2)),
    salesforce: rows.map((line) => cell(line, 3)),
  };
}

const SEARCHED = { name: 'Nguyễn Văn Thành Search', phone: '+84901234567' };
const GLOBAL_ID = 'c0ffee00-1111-4222-8333-444455556666';
// Around a month boundary in Asia/Ho_Chi_Minh (UTC+7 all year): local 31 January 23:59:59
// and local 1 February 00:00:00, the first still January.
const BOUNDARY = ['2025-01-31T16:59:59Z', '2025-01-31T17:00:00Z', '2025-02-01T05:00:00Z'];

interface Line {
  id?: string;
  cursor?: string;
  complete?: boolean;
  count?: number;
  [key: string]: unknown;
}

const databases = [
  ['PGlite', () => Promise.resolve({ env: { DATA_DIR: ':memory:' }, drop: async () => {} })],
  [
    'PostgreSQL',
    async () => {
      const db = await freshPostgres();
      return { env: { DATABASE_URL: db.url }, drop: db.drop };
    },
  ],
] as const;

describe.each(databases)('data products on %s (e2e)', (_kind, openDatabase) => {
  let sim: Simulator;
  let gateway: TestGateway;
  let drop: () => Promise<void>;
  let total111 = 0;

  const get = (path: string, key: string = TEST_KEYS.admin) =>
    request(gateway.url).get(path).set('authorization', bearer(key));
  const gql = (query: string, variables: Record<string, unknown>, key: string = TEST_KEYS.admin) =>
    request(gateway.url)
      .post('/graphql')
      .set('authorization', bearer(key))
      .send({ query, variables });

  async function simInsert(pageId: string, customers: Record<string, unknown>[]): Promise<void> {
    const response = await fetch(`${sim.controlUrl}/pages/${pageId}/customers`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ customers }),
    });
    expect(response.status).toBe(201);
  }

  async function exportLines(query: string): Promise<Line[]> {
    const response = await get(`/v1/pages/111/customers/export${query}`);
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/x-ndjson/);
    return response.text
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as Line);
  }

  beforeAll(async () => {
    const database = await openDatabase();
    drop = database.drop;
    sim = await startSimulator({ customers: 1100, seed: 15, pages: ['111', '222', '333'] });
    await simInsert('111', [
      { name: SEARCHED.name, phone_numbers: ['090 123-4567'], customer_id: GLOBAL_ID },
      ...BOUNDARY.map((at, i) => ({
        name: `Boundary ${i}`,
        insertedAt: at,
        updatedAt: at,
      })),
    ]);
    await simInsert('222', [
      {
        name: 'NGUYEN VAN THANH SEARCH',
        phone_numbers: ['(+84) 90 123 4567'],
        customer_id: GLOBAL_ID,
      },
    ]);
    gateway = await startGateway(sim, {
      ...database.env,
      SYNC_PAGES: '111,222',
      SYNC_INTERVAL_SECONDS: '1',
    });
    // LIVE, and holding the customers inserted just before the start: the backfill stops a
    // second before now, so those may come with the first delta.
    const expected: Record<string, number> = { '111': 1104, '222': 51 };
    for (const page of ['111', '222'])
      await waitFor(`page ${page} LIVE with ${expected[page]} customers`, async () => {
        const status = await get(`/v1/pages/${page}/sync`);
        return status.body.state === 'LIVE' && status.body.customers === expected[page]
          ? true
          : undefined;
      });
    total111 = (await get('/v1/pages/111/sync')).body.customers as number;
  }, 60_000);

  afterAll(async () => {
    await gateway?.close();
    await sim?.close();
    await drop?.();
  });

  describe('export', () => {
    it('streams every customer once, each line with its cursor, then the trailer', async () => {
      const lines = await exportLines('');
      expect(total111).toBe(1104); // more than two export pages of 500
      const customers = lines.slice(0, -1);
      expect(lines.at(-1)).toEqual({ complete: true, count: total111 });
      expect(customers).toHaveLength(total111);
      expect(new Set(customers.map((line) => line.id)).size).toBe(total111);
      expect(customers.every((line) => typeof line.cursor === 'string')).toBe(true);
      expect(customers[0]).toEqual(
        expect.objectContaining({
          pageId: '111',
          avatarUrl: expect.any(String),
          notes: expect.any(Array),
        }),
      );
    });

    it('compresses the stream when asked: each coding decodes to the same lines', async () => {
      const plain = await fetch(`${gateway.url}/v1/pages/111/customers/export`, {
        headers: { authorization: bearer(), 'accept-encoding': 'identity' },
      });
      expect(plain.headers.get('content-encoding')).toBeNull();
      const expected = await plain.text();
      for (const encoding of ['gzip', 'br']) {
        // fetch decodes the body itself and keeps the header that says it had to.
        const coded = await fetch(`${gateway.url}/v1/pages/111/customers/export`, {
          headers: { authorization: bearer(), 'accept-encoding': encoding },
        });
        expect(coded.headers.get('content-encoding')).toBe(encoding);
        expect(await coded.text()).toBe(expected);
      }
    });

    it('resumes after line k with the other N-k', async () => {
      const all = (await exportLines('')).slice(0, -1);
      const k = 557; // past the first keyset page
      const rest = await exportLines(`?after=${all[k - 1]!.cursor}`);
      expect(rest.at(-1)).toEqual({ complete: true, count: total111 - k });
      expect(rest.slice(0, -1).map((line) => line.id)).toEqual(all.slice(k).map((line) => line.id));
    });

    it('writes CSV a CSV reader parses back, one row per customer, header as documented', async () => {
      const documented = documentedColumns();
      for (const profile of ['hubspot', 'salesforce'] as const) {
        const response = await get(`/v1/pages/111/customers/export?format=csv&profile=${profile}`);
        expect(response.status).toBe(200);
        expect(response.headers['content-type']).toMatch(/^text\/csv/);
        const rows = parse(response.text) as string[][];
        expect(rows[0]).toEqual(documented[profile]);
        expect(rows).toHaveLength(total111 + 1);
        const byId = new Map(rows.slice(1).map((row) => [row[0], row]));
        expect(byId.size).toBe(total111);
      }
      const gateway = parse((await get('/v1/pages/111/customers/export?format=csv')).text, {
        columns: true,
      }) as Record<string, string>[];
      expect(gateway).toHaveLength(total111);
      const searched = gateway.find((row) => row.name === SEARCHED.name)!;
      expect(searched.phoneNumbers).toBe('090 123-4567');
    });

    it('maps a customer to the CRM fields: split name, E.164 phones, ids kept', async () => {
      const lines = await exportLines('?profile=salesforce');
      const searched = lines.find((line) => line.Pancake_Global_Customer_Id__c === GLOBAL_ID)!;
      expect(searched).toEqual(
        expect.objectContaining({
          FirstName: 'Nguyễn Văn Thành',
          LastName: 'Search',
          Phone: SEARCHED.phone,
          MobilePhone: '',
          Pancake_Page_Id__c: '111',
        }),
      );
      const hubspot = await exportLines('?profile=hubspot');
      expect(hubspot.at(-1)).toEqual({ complete: true, count: total111 });
      expect(Object.keys(hubspot[0]!)).toEqual(documentedColumns().hubspot);
    });

    it('survives a client that leaves mid-stream, and serves the next export whole', async () => {
      const aborter = new AbortController();
      const response = await fetch(`${gateway.url}/v1/pages/111/customers/export`, {
        headers: { authorization: bearer() },
        signal: aborter.signal,
      });
      const reader = response.body!.getReader();
      expect((await reader.read()).done).toBe(false);
      aborter.abort();
      await reader.read().catch(() => undefined);
      const lines = await exportLines('');
      expect(lines.at(-1)).toEqual({ complete: true, count: total111 });
    });

    it('answers 409 SYNC_NOT_READY for a page that is not mirrored, with its progress', async () => {
      const response = await get('/v1/pages/333/customers/export');
      expect(response.status).toBe(409);
      expect(response.body.error.code).toBe('SYNC_NOT_READY');
      expect(response.body.error.details).toEqual(expect.objectContaining({ state: 'PAUSED' }));
    });

    it('refuses a bad format, profile or cursor, naming the field', async () => {
      const fields = async (query: string): Promise<string[]> => {
        const response = await get(`/v1/pages/111/customers/export${query}`);
        expect(response.status).toBe(400);
        return (response.body.error.details.violations as { field: string }[]).map((v) => v.field);
      };
      expect(await fields('?format=xml')).toEqual(['format']);
      expect(await fields('?profile=zoho')).toEqual(['profile']);
      expect(await fields('?after=not-a-cursor')).toEqual(['after']);
    });

    it('refuses a key without the page', async () => {
      expect((await get('/v1/pages/111/customers/export', TEST_KEYS.page222)).status).toBe(403);
    });
  });

  describe('search', () => {
    it('finds a formatted phone and an unaccented name across pages, one globalCustomerId', async () => {
      const byPhone = await get(`/v1/customers/search?phone=${encodeURIComponent('0901 234 567')}`);
      expect(byPhone.status).toBe(200);
      const nodes = byPhone.body.nodes as { pageId: string; globalCustomerId: string }[];
      expect(nodes.map((n) => n.pageId).sort()).toEqual(['111', '222']);
      expect(new Set(nodes.map((n) => n.globalCustomerId))).toEqual(new Set([GLOBAL_ID]));

      const byName = await get(
        `/v1/customers/search?name=${encodeURIComponent('nguyen van thanh s')}`,
      );
      expect((byName.body.nodes as { name: string }[]).map((n) => n.name).sort()).toEqual(
        ['NGUYEN VAN THANH SEARCH', SEARCHED.name].sort(),
      );
    });

    it("stays within the key's pages", async () => {
      const response = await get(`/v1/customers/search?phone=0901234567`, TEST_KEYS.page222);
      expect((response.body.nodes as { pageId: string }[]).map((n) => n.pageId)).toEqual(['222']);
      expect(
        (await get('/v1/customers/search?phone=0901234567&pageIds=111', TEST_KEYS.page222)).status,
      ).toBe(403);
    });

    it('answers over GraphQL with the Customer type', async () => {
      const response = await gql(
        'query($name: String) { searchCustomers(name: $name, first: 5) { pageId name globalCustomerId notes { id } } }',
        { name: 'NGUYỄN VĂN THÀNH' },
      );
      expect(response.body.errors).toBeUndefined();
      expect(response.body.data.searchCustomers).toHaveLength(2);
    });

    it('refuses a phone that does not parse and a one-letter name, naming each', async () => {
      const response = await get('/v1/customers/search?phone=12ab&name=n');
      expect(response.status).toBe(400);
      expect(
        (response.body.error.details.violations as { field: string }[]).map((v) => v.field),
      ).toEqual(['phone', 'name']);
      const gqlResponse = await gql('query { searchCustomers(name: "x") { id } }', {});
      expect(gqlResponse.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
      expect(gqlResponse.body.errors[0].message).toMatch(/^name: /);
    });
  });

  describe('new-customer counts', () => {
    async function handCount(since: Date, until: Date, bucket: (local: Date) => string) {
      const lines = (await exportLines('')).slice(0, -1);
      const counts = new Map<string, number>();
      for (const line of lines) {
        const at = new Date(line.insertedAt as string);
        if (at < since || at >= until) continue;
        // Asia/Ho_Chi_Minh is UTC+7 all year: local time is UTC shifted by 7 hours.
        const key = bucket(new Date(at.getTime() + 7 * 3600_000));
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      return counts;
    }

    it('counts by day across a month boundary as a hand count does, empty days included', async () => {
      const since = new Date('2025-01-25T00:00:00+07:00');
      const until = new Date('2025-02-05T00:00:00+07:00');
      const response = await get(
        `/v1/pages/111/stats/new-customers?since=${encodeURIComponent(since.toISOString())}&until=${encodeURIComponent(until.toISOString())}`,
      );
      expect(response.status).toBe(200);
      const buckets = response.body as { bucketStart: string; count: number }[];
      expect(buckets).toHaveLength(11);
      const expected = await handCount(since, until, (local) => local.toISOString().slice(0, 10));
      for (const { bucketStart, count } of buckets) {
        const day = new Date(new Date(bucketStart).getTime() + 7 * 3600_000).toISOString();
        expect(day.slice(10)).toBe('T00:00:00.000Z');
        expect(count).toBe(expected.get(day.slice(0, 10)) ?? 0);
      }
      const jan31 = buckets.find((b) => b.bucketStart === '2025-01-30T17:00:00.000Z')!;
      const feb1 = buckets.find((b) => b.bucketStart === '2025-01-31T17:00:00.000Z')!;
      expect(jan31.count).toBeGreaterThanOrEqual(1);
      expect(feb1.count).toBeGreaterThanOrEqual(2);
    });

    it('counts by month over GraphQL as a hand count does', async () => {
      const since = '2024-01-01T00:00:00+07:00';
      const until = '2026-07-01T00:00:00+07:00';
      const response = await gql(
        'query($since: DateTime!, $until: DateTime!) { newCustomerCounts(pageId: "111", since: $since, until: $until, bucket: MONTH) { bucketStart count } }',
        { since, until },
      );
      expect(response.body.errors).toBeUndefined();
      const buckets = response.body.data.newCustomerCounts as {
        bucketStart: string;
        count: number;
      }[];
      expect(buckets).toHaveLength(30);
      const expected = await handCount(new Date(since), new Date(until), (local) =>
        local.toISOString().slice(0, 7),
      );
      const got = new Map(
        buckets.map((b) => [
          new Date(new Date(b.bucketStart).getTime() + 7 * 3600_000).toISOString().slice(0, 7),
          b.count,
        ]),
      );
      for (const [month, count] of expected) expect(got.get(month)).toBe(count);
      expect(buckets.reduce((sum, b) => sum + b.count, 0)).toBe(
        [...expected.values()].reduce((sum, c) => sum + c, 0),
      );
    });

    it('refuses an unknown zone and a daily window over 2 years, naming the field', async () => {
      const bad = async (query: string): Promise<string> => {
        const response = await get(`/v1/pages/111/stats/new-customers?${query}`);
        expect(response.status).toBe(400);
        return response.body.error.message as string;
      };
      expect(
        await bad('since=2025-01-01T00:00:00Z&until=2025-02-01T00:00:00Z&timeZone=Mars/Base'),
      ).toMatch(/^timeZone: /);
      expect(await bad('since=2023-01-01T00:00:00Z&until=2025-02-01T00:00:00Z')).toMatch(
        /^until: /,
      );
      expect(
        await bad('since=2025-01-01T00:00:00Z&until=2025-02-01T00:00:00Z&bucket=year'),
      ).toMatch(/^bucket: /);
    });
  });
});
