import { sql } from 'kysely';
import { DatabaseService } from '../infra/database/database.service.js';
import type { CustomerRecord, NoteRecord } from '../pancake/pancake.model.js';
import { loadConfig } from '../config/load-config.js';
import { EventOutbox } from './event-outbox.js';
import { MirrorStore } from './mirror.store.js';
import { WindowIndexStore } from './window-index.store.js';

const PAGE = '111';

function customer(i: number, changes: Partial<CustomerRecord> = {}): CustomerRecord {
  return {
    id: `c-${String(i).padStart(5, '0')}`,
    psid: `9${i}`,
    pageId: PAGE,
    globalCustomerId: null,
    name: `Customer ${i}`,
    phoneNumbers: [`+8490${i}`],
    emails: [],
    gender: null,
    livesIn: null,
    birthday: null,
    insertedAt: new Date(Date.UTC(2025, 0, 1) + i * 1000),
    updatedAt: new Date(Date.UTC(2025, 0, 1) + i * 1000),
    notes: [],
    ...changes,
  };
}

const note = (id: string, message: string): NoteRecord => ({
  id,
  message,
  createdAt: new Date(Date.UTC(2025, 5, 1)),
  updatedAt: null,
  removedAt: null,
  createdBy: null,
  images: [],
  links: [],
});

const ALL_INSERTED = {
  since: new Date(Date.UTC(2024, 0, 1)),
  until: new Date(Date.UTC(2026, 0, 1)),
  pageNumber: 1,
  pageSize: 100,
  orderBy: 'inserted_at' as const,
};

// On the embedded database (PGlite, in memory): batches write many rows per statement.
describe('MirrorStore.apply', () => {
  let database: DatabaseService;
  let store: MirrorStore;

  beforeAll(async () => {
    database = new DatabaseService({ url: null, dataDir: ':memory:' });
    store = new MirrorStore(
      database,
      new EventOutbox(),
      loadConfig({}),
      new WindowIndexStore(database),
    );
    await database.db();
  });

  afterAll(() => database.onApplicationShutdown());

  const storedEvents = async () =>
    (await database.db())
      .selectFrom('customer_events')
      .select(['seq', 'id', 'type', 'customer_id'])
      .where('page_id', '=', PAGE)
      .orderBy('seq')
      .execute();

  it('stores a batch larger than one statement chunk once, with one event each, in cursor order', async () => {
    const batch = Array.from({ length: 1203 }, (_, i) => customer(i));
    const result = await store.apply(PAGE, batch, 'PANCAKE');
    expect(result.created).toBe(1203);
    expect(result.changed).toBe(0);
    expect(result.events.map((e) => e.seq)).toEqual(batch.map((_, i) => i + 1));
    expect(result.events.every((e) => e.type === 'CUSTOMER_CREATED')).toBe(true);
    const events = await storedEvents();
    expect(events.map((e) => e.seq)).toEqual(result.events.map((e) => e.seq));
    expect(events.map((e) => e.customer_id)).toEqual(batch.map((c) => c.id));
    const page = await store.list(PAGE, ALL_INSERTED, await store.version(PAGE));
    expect(page.total).toBe(1203);
    expect(page.customers[0]).toEqual(batch[1202]);
  });

  it('records nothing for versions it already holds, or older ones', async () => {
    const older = customer(5, { name: 'Old', updatedAt: new Date(Date.UTC(2024, 0, 1)) });
    const result = await store.apply(PAGE, [customer(3), customer(4), older], 'PANCAKE');
    expect(result).toEqual({ created: 0, changed: 0, events: [] });
    expect(await store.get(PAGE, customer(5).id)).toEqual(customer(5));
  });

  it('applies changes with cursors after the last, the newest version of a repeated id winning', async () => {
    const later = new Date(Date.UTC(2025, 6, 1));
    const renamed = customer(7, { name: 'Renamed', updatedAt: later });
    const noted = customer(8, { notes: [note('n1', 'hello')], updatedAt: later });
    const stale = customer(7, { name: 'Between', updatedAt: new Date(Date.UTC(2025, 5, 1)) });
    const result = await store.apply(PAGE, [stale, renamed, noted, customer(2000)], 'PANCAKE');
    expect(result.created).toBe(1);
    expect(result.changed).toBe(2);
    expect(result.events.map((e) => [e.seq, e.type, e.customerId])).toEqual([
      [1204, 'CUSTOMER_UPDATED', renamed.id],
      [1205, 'NOTE_CREATED', noted.id],
      [1206, 'CUSTOMER_CREATED', customer(2000).id],
    ]);
    expect(result.events[0].changedFields).toEqual(['name']);
    expect(await store.get(PAGE, renamed.id)).toEqual(renamed);
    expect(await store.get(PAGE, noted.id)).toEqual(noted);
    expect((await storedEvents()).length).toBe(1206);
  });

  it('moves the version with each change and counts windows as the rows now are', async () => {
    const byUpdate = { ...ALL_INSERTED, orderBy: 'updated_at' as const };
    const july = {
      ...byUpdate,
      since: new Date(Date.UTC(2025, 6, 1)),
      until: new Date(Date.UTC(2025, 6, 2)),
    };
    const before = await store.version(PAGE);
    expect((await store.list(PAGE, july, before)).total).toBe(2); // renamed and noted
    await store.apply(
      PAGE,
      [customer(1, { name: 'Moved', updatedAt: new Date(Date.UTC(2025, 6, 1, 12)) })],
      'PANCAKE',
    );
    await store.apply(
      PAGE,
      [customer(7, { name: 'Again', updatedAt: new Date(Date.UTC(2025, 7, 1)) })],
      'PANCAKE',
    );
    const after = await store.version(PAGE);
    expect(after).toBe(before + 2);
    const page = await store.list(PAGE, july, after);
    expect(page.total).toBe(2);
    expect(page.customers.map((c) => c.id)).toEqual([customer(1).id, customer(8).id]);
    expect((await store.list(PAGE, ALL_INSERTED, after)).total).toBe(1204);
    // What a database count of the same windows says.
    const db = await database.db();
    const counted = await db
      .selectFrom('mirror_customers')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('page_id', '=', PAGE)
      .where('updated_at', '>=', july.since)
      .where('updated_at', '<', new Date(july.until.getTime() + 1000))
      .executeTakeFirstOrThrow();
    expect(Number(counted.n)).toBe(2);
  });

  it('reuses kept records only at the version that last wrote their row', async () => {
    const kept = new Map<string, { version: number; record: CustomerRecord }>();
    const sets: string[] = [];
    store.reuseRecordsFrom({
      get: (_page, id, version) => {
        const entry = kept.get(id);
        return entry?.version === version ? entry.record : undefined;
      },
      set: (_page, id, version, record) => {
        sets.push(id);
        kept.set(id, { version, record });
      },
    });
    const newest = { ...ALL_INSERTED, pageSize: 3 };
    const first = await store.list(PAGE, newest, await store.version(PAGE));
    expect(sets).toHaveLength(3);
    sets.length = 0;
    const head = first.customers[0];
    await store.apply(
      PAGE,
      [{ ...head, name: 'Changed', updatedAt: new Date(Date.UTC(2025, 8, 1)) }],
      'PANCAKE',
    );
    const second = await store.list(PAGE, newest, await store.version(PAGE));
    expect(sets).toEqual([head.id]); // only the changed row is read again
    expect(second.customers.map((c) => c.id)).toEqual(first.customers.map((c) => c.id));
    expect(second.customers[0].name).toBe('Changed');
    expect(second.customers.slice(1)).toEqual(first.customers.slice(1));
    store.reuseRecordsFrom({ get: () => undefined, set: () => undefined });
  });

  it('gives the embedded database planner statistics after a full pass (it has no autovacuum)', async () => {
    const db = await database.db();
    const tuples = async () =>
      (
        await sql<{
          reltuples: number;
        }>`select reltuples::float8 as reltuples from pg_class where relname = 'mirror_customers'`.execute(
          db,
        )
      ).rows[0].reltuples;
    expect(await tuples()).toBeLessThan(0); // never analyzed
    await store.afterFullPass();
    expect(await tuples()).toBe(1204);
  });
});
