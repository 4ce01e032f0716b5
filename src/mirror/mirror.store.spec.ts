import { sql } from 'kysely';
import { DatabaseService } from '../infra/database/database.service.js';
import type { CustomerRecord, NoteRecord } from '../pancake/pancake.model.js';
import { loadConfig } from '../config/load-config.js';
import { EventOutbox } from './event-outbox.js';
import { MirrorStore } from './mirror.store.js';

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

// On the embedded database (PGlite, in memory): batches write many rows per statement.
describe('MirrorStore.apply', () => {
  let database: DatabaseService;
  let store: MirrorStore;

  beforeAll(async () => {
    database = new DatabaseService({ url: null, dataDir: ':memory:' });
    store = new MirrorStore(database, new EventOutbox(), loadConfig({}));
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
    const page = await store.list(PAGE, {
      since: new Date(Date.UTC(2024, 0, 1)),
      until: new Date(Date.UTC(2026, 0, 1)),
      pageNumber: 1,
      pageSize: 100,
      orderBy: 'inserted_at',
    });
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
