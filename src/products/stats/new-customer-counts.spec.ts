// The counts read from the slot table (0004_inserted_counts) must equal a count of the rows
// themselves, through every write the mirror makes, on PGlite and on a PostgreSQL server.
import { sql } from 'kysely';
import { Migrator } from 'kysely/migration';
import {
  createPostgresDatabase,
  postgresAvailable,
  type DatabaseKind,
} from '../../../test/support/databases.js';
import type { Caller } from '../../common/auth/caller.js';
import { loadConfig } from '../../config/load-config.js';
import { createDatabase } from '../../infra/database/database-connection.js';
import { DatabaseService } from '../../infra/database/database.service.js';
import { MIGRATIONS } from '../../infra/database/migrations.js';
import { EventOutbox } from '../../mirror/event-outbox.js';
import { MirrorStore } from '../../mirror/mirror.store.js';
import { WindowIndexStore } from '../../mirror/window-index.store.js';
import type { CustomerRecord } from '../../pancake/pancake.model.js';
import { Rng } from '../../../tools/pancake-sim/prng.js';
import type { ProductPages } from '../product-pages.js';
import { ProductsStore } from '../products.store.js';
import {
  bucketCounts,
  bucketEdges,
  type BucketCount,
  type CountWindow,
} from './count-buckets.policy.js';
import { NewCustomerCountsService } from './new-customer-counts.service.js';

const PAGE = '111';
const OTHER_PAGE = '222';
const CALLER: Caller = { keyName: 'test', pages: null, scope: 'read' };
const config = loadConfig({});

const rng = new Rng(15); // the simulator's mulberry32: the same customers every run
const random = (): number => rng.next();
const START_MS = Date.UTC(2024, 11, 1);
const SPAN_MS = Date.UTC(2025, 3, 1) - START_MS;
// On and next to slot edges (00:00, 00:15 UTC ...), and to the millisecond around local midnights.
const EDGY_MS = [0, -1, 1, 15 * 60_000, 15 * 60_000 - 1, 17 * 3600_000, 17 * 3600_000 - 1];

function customer(i: number, pageId: string, insertedAt: Date | null): CustomerRecord {
  return {
    id: `c-${String(i).padStart(6, '0')}`,
    psid: `9${i}`,
    pageId,
    globalCustomerId: null,
    name: `Customer ${i}`,
    phoneNumbers: [],
    emails: [],
    gender: null,
    livesIn: null,
    birthday: null,
    insertedAt,
    updatedAt: new Date(Date.UTC(2025, 5, 1) + i),
    notes: [],
  };
}

// Around the ragged windows below: on since (counted), a millisecond before it, on until (not).
const PLANTED = [
  '2025-01-03T03:07:13.122Z',
  '2025-01-03T03:07:13.123Z',
  '2025-01-03T03:10:00Z',
  '2025-01-03T03:14:59.999Z',
  '2025-01-03T03:15:00Z',
  '2025-01-03T05:00:00Z',
  '2025-01-03T05:00:00.001Z',
  '2025-01-20T21:52:00.999Z',
  '2025-01-20T21:52:01Z',
];

const CUSTOMERS: CustomerRecord[] = Array.from({ length: 3000 }, (_, i) => {
  const day = START_MS + Math.floor(random() * (SPAN_MS / 86_400_000)) * 86_400_000;
  const at =
    i < PLANTED.length
      ? Date.parse(PLANTED[i]!)
      : i % 10 === 0
        ? day + EDGY_MS[i % EDGY_MS.length]!
        : START_MS + Math.floor(random() * SPAN_MS);
  return customer(i, PAGE, i % 97 === 1 ? null : new Date(at));
});

const window = (since: string, until: string, over: Partial<CountWindow> = {}): CountWindow => ({
  since: new Date(since),
  until: new Date(until),
  bucket: 'DAY',
  timeZone: 'Asia/Ho_Chi_Minh',
  ...over,
});

const WINDOWS: CountWindow[] = [
  // Across the month boundary, local midnights in a zone without DST.
  window('2025-01-25T00:00:00+07:00', '2025-02-05T00:00:00+07:00'),
  window('2024-12-01T00:00:00+07:00', '2025-04-01T00:00:00+07:00', { bucket: 'MONTH' }),
  window('2024-11-25T00:00:00Z', '2025-04-07T00:00:00Z', { bucket: 'WEEK', timeZone: 'UTC' }),
  // Ragged ends: since and until off the 15-minute slots, in the same UTC day and not.
  window('2025-01-03T03:07:13.123Z', '2025-01-20T21:52:01Z'),
  window('2025-01-03T03:07:13.123Z', '2025-01-03T05:00:00.001Z'),
  window('2025-01-03T03:01:00Z', '2025-01-03T03:14:00Z'),
  // Offsets of 45 and 30 minutes, and a DST zone across its spring change.
  window('2024-12-20T00:00:00+05:45', '2025-02-10T00:00:00+05:45', { timeZone: 'Asia/Kathmandu' }),
  window('2024-12-20T00:00:00+05:30', '2025-03-10T00:00:00+05:30', { timeZone: 'Asia/Kolkata' }),
  window('2025-03-01T00:00:00-05:00', '2025-03-20T00:00:00-04:00', {
    timeZone: 'America/New_York',
  }),
];

function describeOn(kind: DatabaseKind, body: (location: () => Location) => void): void {
  const run = kind === 'postgresql' && !postgresAvailable ? describe.skip : describe;
  run(`on ${kind}`, () => {
    let current: Location = { url: null, dataDir: ':memory:' };
    let drop: (() => Promise<void>) | undefined;
    beforeAll(async () => {
      if (kind === 'pglite') return;
      const created = await createPostgresDatabase('counts');
      drop = created.drop;
      current = { url: created.url, dataDir: ':memory:' };
    });
    afterAll(async () => {
      await drop?.();
    });
    body(() => current);
  });
}

interface Location {
  url: string | null;
  dataDir: string;
}

describe.each(['pglite', 'postgresql'] as const)('new-customer counts (%s)', (kind) => {
  describeOn(kind, (location) => {
    let database: DatabaseService;
    let mirror: MirrorStore;
    let products: ProductsStore;
    let service: NewCustomerCountsService;

    beforeAll(async () => {
      database = new DatabaseService(location());
      mirror = new MirrorStore(database, new EventOutbox(), config, new WindowIndexStore(database));
      products = new ProductsStore(database, config);
      const pages = { live: () => Promise.resolve() } as unknown as ProductPages;
      service = new NewCustomerCountsService(pages, products);
      for (let i = 0; i < CUSTOMERS.length; i += 700)
        await mirror.apply(PAGE, CUSTOMERS.slice(i, i + 700), 'PANCAKE');
    }, 120_000);

    afterAll(() => database.onApplicationShutdown());

    /** The answer from every row, as the counts were read before the slot table. */
    async function rowCounts(pageId: string, w: CountWindow): Promise<BucketCount[]> {
      const edges = bucketEdges(w);
      return bucketCounts(edges, await products.countInserted(pageId, w.since, w.until, edges));
    }

    /** The slot table against a count of the rows: the same count per page, day and slot. */
    async function expectSlotsExact(): Promise<void> {
      const db = await database.db();
      const { rows } = await sql<{ page_id: string; day: string; slot: number; count: number }>`
        with kept as (
          select page_id, day::text as day, (s.i - 1)::integer as slot, s.n::integer as count
          from mirror_inserted_counts, unnest(quarters) with ordinality as s(n, i)
          where s.n <> 0
        ), counted as (
          select page_id, ((inserted_at at time zone 'UTC')::date)::text as day,
            (((floor(extract(epoch from inserted_at) / 900)::bigint % 96) + 96) % 96)::integer as slot,
            count(*)::integer as count
          from mirror_customers where inserted_at is not null group by 1, 2, 3
        )
        (select 'kept' as side, * from kept except all select 'kept', * from counted)
        union all
        (select 'counted', * from counted except all select 'counted', * from kept)`.execute(db);
      expect(rows).toEqual([]);
    }

    it('keeps the slot table exact after the mirror writes customers of two pages', async () => {
      await mirror.apply(OTHER_PAGE, CUSTOMERS.slice(0, 500), 'PANCAKE');
      await expectSlotsExact();
    });

    it.each(WINDOWS.map((w) => [`${w.timeZone} ${w.bucket} ${w.since.toISOString()}`, w]))(
      'counts as the rows do: %s',
      async (_name, w) => {
        const counts = await service.counts(CALLER, PAGE, w);
        expect(counts).toEqual(await rowCounts(PAGE, w));
        expect(counts.reduce((sum, b) => sum + b.count, 0)).toBeGreaterThan(0);
      },
    );

    it('reads the slot table for the aligned interior, the rows for the ragged ends', async () => {
      const db = await database.db();
      const day = sql`date '2025-01-10'`;
      const bump = (by: number) =>
        sql`update mirror_inserted_counts set quarters[41] = quarters[41] + ${by}
          where page_id = ${PAGE} and day = ${day}`.execute(db);
      await sql`insert into mirror_inserted_counts values (${PAGE}, ${day}, array_fill(0, array[96]))
        on conflict do nothing`.execute(db);
      const aligned = window('2025-01-10T00:00:00+07:00', '2025-01-11T00:00:00+07:00');
      // Slot 40 of 2025-01-10 UTC is 10:00-10:15 UTC: inside the aligned window, not the ragged one.
      const ragged = window('2025-01-10T10:03:00Z', '2025-01-10T10:14:00Z');
      const [alignedBefore, raggedBefore] = [
        await service.counts(CALLER, PAGE, aligned),
        await service.counts(CALLER, PAGE, ragged),
      ];
      await bump(1000);
      try {
        expect((await service.counts(CALLER, PAGE, aligned))[0]!.count).toBe(
          alignedBefore[0]!.count + 1000,
        );
        expect(await service.counts(CALLER, PAGE, ragged)).toEqual(raggedBefore);
      } finally {
        await bump(-1000);
      }
    });

    it('stays exact through changed insertedAt (to null and back), deletes and re-inserts', async () => {
      const moved = CUSTOMERS.slice(0, 400).map((c, i) => ({
        ...c,
        insertedAt: i % 50 === 0 ? null : new Date(Date.UTC(2025, 1, 14, 0, i)),
        updatedAt: new Date(Date.UTC(2025, 6, 1) + i),
      }));
      await mirror.apply(PAGE, moved, 'PANCAKE');
      const db = await database.db();
      await db
        .deleteFrom('mirror_customers')
        .where('page_id', '=', PAGE)
        .where('id', 'in', ['c-000401', 'c-000402', 'c-000403', 'c-000410'])
        .execute();
      await sql`update mirror_customers set inserted_at = inserted_at + interval '7 minutes' where page_id = ${PAGE} and id like 'c-0005%'`.execute(
        db,
      );
      await expectSlotsExact();
      for (const w of [
        ...WINDOWS,
        window('2025-02-13T00:00:00+07:00', '2025-02-16T00:00:00+07:00'),
      ])
        expect(await service.counts(CALLER, PAGE, w)).toEqual(await rowCounts(PAGE, w));
      await mirror.apply(PAGE, [customer(401, PAGE, new Date('2025-02-14T03:00:00Z'))], 'PANCAKE');
      await expectSlotsExact();
    });

    it('counts row by row where a bucket edge is off the slots (local mean time)', async () => {
      // Asia/Ho_Chi_Minh was UTC+7:06:40 until 1906: its midnights fall between slot edges.
      const old = [0, 1, 2].map((i) =>
        customer(900_000 + i, PAGE, new Date(Date.UTC(1900, 0, 2, 17, 7 + i))),
      );
      await mirror.apply(PAGE, old, 'PANCAKE');
      const w = window('1900-01-01T00:00:00Z', '1900-01-05T00:00:00Z');
      const counts = await service.counts(CALLER, PAGE, w);
      expect(counts).toEqual(await rowCounts(PAGE, w));
      expect(counts.reduce((sum, b) => sum + b.count, 0)).toBe(3);
      await expectSlotsExact();
    });

    it('truncating the mirror empties the slot table', async () => {
      const db = await database.db();
      await sql`truncate mirror_customers`.execute(db);
      const left = await db.selectFrom('mirror_inserted_counts').select('page_id').execute();
      expect(left).toEqual([]);
      await mirror.apply(PAGE, CUSTOMERS.slice(0, 100), 'PANCAKE');
      await expectSlotsExact();
    });
  });
});

describe('0004_inserted_counts on a mirror filled before it', () => {
  it('fills the slot table from the rows already there', async () => {
    const db = createDatabase({ url: null, dataDir: ':memory:' });
    try {
      const before = Object.fromEntries(
        Object.entries(MIGRATIONS).filter(([name]) => name < '0004'),
      );
      const migrate = (migrations: typeof MIGRATIONS) =>
        new Migrator({ db, provider: { getMigrations: () => Promise.resolve(migrations) } })
          .migrateToLatest()
          .then(({ error }) => {
            if (error) throw error;
          });
      await migrate(before);
      for (const [i, at] of ['2025-01-01T00:14:59.999Z', '2025-01-01T00:15:00Z', null].entries())
        await sql`insert into mirror_customers (page_id, id, psid, inserted_at, content_hash, record, synced_at)
          values (${PAGE}, ${`c-${i}`}, 'p', ${at}::timestamptz, 'h', '{}', now())`.execute(db);
      await migrate(MIGRATIONS);
      const rows = await db
        .selectFrom('mirror_inserted_counts')
        .select(['page_id', sql<string>`day::text`.as('day'), 'quarters'])
        .execute();
      expect(rows).toEqual([
        { page_id: PAGE, day: '2025-01-01', quarters: [1, 1, ...Array<number>(94).fill(0)] },
      ]);
    } finally {
      await db.destroy();
    }
  });
});
