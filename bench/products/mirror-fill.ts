// Fills a mirror database with generated customers through MirrorStore.apply (the sync's own
// write path: search keys, events), then marks the page LIVE as a finished backfill leaves it,
// so a gateway started on it serves the data products at once.
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { GatewayConfig } from '../../src/config/gateway-config.js';
import { DatabaseService } from '../../src/infra/database/database.service.js';
import { EventOutbox } from '../../src/mirror/event-outbox.js';
import { MirrorStore } from '../../src/mirror/mirror.store.js';
import { WindowIndexStore } from '../../src/mirror/window-index.store.js';
import type { CustomerRecord } from '../../src/pancake/pancake.model.js';
import { Rng } from '../../tools/pancake-sim/prng.js';

const FAMILY = [
  'Nguyễn',
  'Trần',
  'Lê',
  'Phạm',
  'Hoàng',
  'Huỳnh',
  'Phan',
  'Vũ',
  'Võ',
  'Đặng',
  'Bùi',
  'Đỗ',
  'Hồ',
  'Ngô',
  'Dương',
  'Lý',
];
const MIDDLE = [
  'Văn',
  'Thị',
  'Hữu',
  'Đức',
  'Minh',
  'Ngọc',
  'Thanh',
  'Quốc',
  'Hoàng',
  'Thu',
  'Gia',
  'Xuân',
];
const GIVEN = [
  'An',
  'Bình',
  'Châu',
  'Dũng',
  'Đạt',
  'Giang',
  'Hà',
  'Hải',
  'Hạnh',
  'Hiếu',
  'Hoa',
  'Hùng',
  'Khánh',
  'Lan',
  'Linh',
  'Long',
  'Mai',
  'Nam',
  'Nga',
  'Phúc',
  'Phương',
  'Quân',
  'Quang',
  'Sơn',
  'Tâm',
  'Thảo',
  'Thắng',
  'Trang',
  'Trung',
  'Tú',
  'Tuấn',
  'Vy',
  'Yến',
];
// Prefixes of Vietnamese mobile numbers (valid for libphonenumber's full metadata).
const MOBILE = [
  '90',
  '91',
  '93',
  '94',
  '96',
  '97',
  '98',
  '86',
  '88',
  '89',
  '32',
  '33',
  '34',
  '35',
  '36',
  '37',
  '38',
  '39',
];
const START_MS = Date.UTC(2024, 0, 1);
const SPAN_MS = Date.UTC(2026, 5, 30) - START_MS;

export interface FilledCustomer {
  name: string;
  /** National spelling with spaces, as a dashboard user types it (0901 234 567). */
  typedPhone: string;
}

export function generateCustomers(pageId: string, count: number): CustomerRecord[] {
  const rng = new Rng(15); // the simulator's mulberry32: the same customers every run
  const random = (): number => rng.next();
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const digits = (n: number): string =>
    Array.from({ length: n }, () => Math.floor(random() * 10)).join('');
  return Array.from({ length: count }, (_, i) => {
    const national = `${pick(MOBILE)}${digits(7)}`;
    const phones =
      random() < 0.85
        ? [`0${national.slice(0, 2)} ${national.slice(2, 5)} ${national.slice(5)}`]
        : [];
    if (random() < 0.2) phones.push(`+84${pick(MOBILE)}${digits(7)}`);
    const inserted = new Date(START_MS + Math.floor(random() * SPAN_MS));
    return {
      id: randomUUID(),
      psid: `${1_000_000_000_000_000 + i}`,
      pageId,
      globalCustomerId: random() < 0.85 ? randomUUID() : null,
      name: `${pick(FAMILY)} ${pick(MIDDLE)} ${pick(GIVEN)}`,
      phoneNumbers: phones,
      emails: random() < 0.3 ? [`customer${i}@example.com`] : [],
      gender: pick(['male', 'female', 'unknown', null] as const),
      livesIn: random() < 0.5 ? 'Hồ Chí Minh' : null,
      birthday:
        random() < 0.5 ? `19${digits(2)}-0${1 + Math.floor(random() * 9)}-1${digits(1)}` : null,
      insertedAt: inserted,
      updatedAt: new Date(inserted.getTime() + Math.floor(random() * 86_400_000)),
      notes: [],
    };
  });
}

/** Writes the customers in batches (one transaction each) and leaves the page LIVE. */
export async function fillMirror(
  location: { url: string | null; dataDir: string },
  pageId: string,
  customers: readonly CustomerRecord[],
): Promise<void> {
  const database = new DatabaseService(location);
  const store = new MirrorStore(
    database,
    new EventOutbox(),
    // A single writer filling the database: no version to trust or wait for.
    { phoneDefaultRegion: 'VN', mirror: { versionTrustMs: 0 } } as unknown as GatewayConfig,
    new WindowIndexStore(database),
  );
  try {
    for (let i = 0; i < customers.length; i += 1000)
      await store.apply(pageId, customers.slice(i, i + 1000), 'PANCAKE');
    const db = await database.db();
    await db
      .updateTable('mirror_pages')
      .set({
        state: 'LIVE',
        watermark: sql<Date>`now()`,
        last_polled_at: sql<Date>`now()`,
        next_reconcile_at: sql<Date>`now() + interval '1 day'`,
      })
      .where('page_id', '=', pageId)
      .execute();
    // As autovacuum would leave it: statistics, and a visibility map for index-only scans.
    await sql`vacuum analyze mirror_customers`.execute(db);
  } finally {
    await database.onApplicationShutdown();
  }
}

/** EXPLAIN of the search and count queries, one line per plan node that reads a table. */
export async function queryPlans(
  location: { url: string | null; dataDir: string },
  pageId: string,
): Promise<string[]> {
  const database = new DatabaseService(location);
  try {
    const db = await database.db();
    const plans: string[] = [];
    const explain = async (what: string, query: ReturnType<typeof sql>): Promise<void> => {
      const result = await sql<{ 'QUERY PLAN': string }>`explain ${query}`.execute(db);
      const nodes = result.rows
        .map((row) => row['QUERY PLAN'].trim().replace(/^->\s*/, ''))
        .filter((line) => /Scan|Sort/.test(line))
        .map((line) => line.replace(/\s+\(cost=.*$/, ''));
      plans.push(`${what}: ${nodes.join('; ')}`);
    };
    await explain(
      'search by phone',
      sql`select record from mirror_customers where page_id in (${pageId}) and phones_e164 @> array['+84901234567']::text[] order by page_id, id limit 20`,
    );
    await explain(
      'search by name',
      sql`select record from mirror_customers where page_id in (${pageId}) and name_folded like 'nguyen van a%' order by name_folded, page_id, id limit 20`,
    );
    await explain(
      'export page',
      sql`select record from mirror_customers where page_id = ${pageId} and id > '8' order by id limit 500`,
    );
    await explain(
      'counts',
      sql`select count(*) from mirror_customers where page_id = ${pageId} and inserted_at >= '2025-01-01' and inserted_at < '2026-01-01'`,
    );
    return plans;
  } finally {
    await database.onApplicationShutdown();
  }
}
