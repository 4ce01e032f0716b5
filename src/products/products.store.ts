import { Injectable, Logger } from '@nestjs/common';
import { sql } from 'kysely';
import { GatewayConfig } from '../config/gateway-config.js';
import { DatabaseService } from '../infra/database/database.service.js';
import { customerFromJson } from '../mirror/customer-json.js';
import { foldName, phonesE164Of } from '../mirror/search-keys.js';
import type { CustomerRecord } from '../pancake/pancake.model.js';
import type { SlotDay } from './stats/count-buckets.policy.js';

/** One customer of an export page, with its E.164 phones (the CRM profiles' phone fields). */
export interface ExportRow {
  id: string;
  psid: string;
  /** The stored CustomerRecord as JSON text: parsed only by the profiles that map it. */
  recordJson: string;
  phonesE164: string[];
}

export interface SearchFilter {
  pageIds: readonly string[];
  /** E.164. */
  phone: string | null;
  /** Folded (search-keys.ts): matched as a prefix of the folded name. */
  namePrefix: string | null;
  limit: number;
}

/** Rows filled per statement when filling the search keys of rows mirrored before them. */
const FILL_BATCH = 500;

/** The data products' queries over the mirror's tables; each one uses an index (see 0002_products). */
@Injectable()
export class ProductsStore {
  private readonly logger = new Logger('Products');

  constructor(
    private readonly database: DatabaseService,
    private readonly config: GatewayConfig,
  ) {}

  /**
   * One keyset page of the export: customers of the page with an id after `afterId`, in id
   * order. `withPhones`: the E.164 phones too (the CRM profiles; parsing arrays costs).
   */
  async exportPage(
    pageId: string,
    page: { afterId: string | null; updatedSince: Date | null; limit: number; withPhones: boolean },
  ): Promise<ExportRow[]> {
    const db = await this.database.db();
    let query = db
      .selectFrom('mirror_customers')
      .select(['id', 'psid', sql<string>`record::text`.as('record_json')])
      .where('page_id', '=', pageId);
    if (page.afterId !== null) query = query.where('id', '>', page.afterId);
    if (page.updatedSince !== null) query = query.where('updated_at', '>=', page.updatedSince);
    const ordered = query.orderBy('id').limit(page.limit);
    if (!page.withPhones)
      return (await ordered.execute()).map((row) => ({
        id: row.id,
        psid: row.psid,
        recordJson: row.record_json,
        phonesE164: [],
      }));
    const rows = await ordered.select(['phones_e164', 'phone_numbers']).execute();
    return rows.map((row) => ({
      id: row.id,
      psid: row.psid,
      recordJson: row.record_json,
      // Null only for rows mirrored before 0002_products and not filled yet (see fillSearchKeys).
      phonesE164:
        row.phones_e164 ?? phonesE164Of(row.phone_numbers, this.config.phoneDefaultRegion),
    }));
  }

  /** Customers of the pages matching every given filter: the phone exactly, the name by prefix. */
  async search(filter: SearchFilter): Promise<CustomerRecord[]> {
    if (filter.pageIds.length === 0) return [];
    const db = await this.database.db();
    let query = db
      .selectFrom('mirror_customers')
      .select('record')
      .where('page_id', 'in', [...filter.pageIds]);
    if (filter.phone !== null)
      query = query.where(sql<boolean>`phones_e164 @> array[${filter.phone}]::text[]`);
    if (filter.namePrefix !== null)
      query = query.where('name_folded', 'like', `${escapeLike(filter.namePrefix)}%`);
    // The order of mirror_customers_by_name: the scan stops after `limit` rows, no sort step.
    const ordered =
      filter.namePrefix !== null
        ? query.orderBy('name_folded').orderBy('page_id').orderBy('id')
        : query.orderBy('page_id').orderBy('id');
    const rows = await ordered.limit(filter.limit).execute();
    return rows.map((row) => customerFromJson(row.record));
  }

  /**
   * Customers inserted in [since, until) per bucket: `width_bucket` numbers them by the edges
   * (i: edges[i-1] <= inserted_at < edges[i]), so the zone's calendar stays in the caller.
   */
  async countInserted(
    pageId: string,
    since: Date,
    until: Date,
    edges: readonly Date[],
  ): Promise<Map<number, number>> {
    const db = await this.database.db();
    const bucket = sql<number>`width_bucket(inserted_at, ${edges.map((e) => e.toISOString())}::timestamptz[])`;
    const rows = await db
      .selectFrom('mirror_customers')
      .select([bucket.as('bucket'), (eb) => eb.fn.countAll<number>().as('count')])
      .where('page_id', '=', pageId)
      .where('inserted_at', '>=', since)
      .where('inserted_at', '<', until)
      .groupBy(sql`1`)
      .execute();
    return new Map(rows.map((row) => [Number(row.bucket), Number(row.count)]));
  }

  /**
   * The stored slot counts of the page's UTC days in [fromDay, toDay) (days since 1970-01-01),
   * one row a day that has any customer: kept by 0004_inserted_counts' triggers.
   */
  async insertedSlots(pageId: string, fromDay: number, toDay: number): Promise<SlotDay[]> {
    const db = await this.database.db();
    const rows = await db
      .selectFrom('mirror_inserted_counts')
      // As text, split here: the drivers' array parsers read 35k numbers a year char by char.
      .select([
        sql<number>`day - date '1970-01-01'`.as('day_no'),
        sql<string>`array_to_string(quarters, ',')`.as('slots'),
      ])
      .where('page_id', '=', pageId)
      .where('day', '>=', sql<string>`date '1970-01-01' + ${fromDay}::integer`)
      .where('day', '<', sql<string>`date '1970-01-01' + ${toDay}::integer`)
      .execute();
    return rows.map((row) => ({
      dayNo: Number(row.day_no),
      slots: row.slots.split(',').map(Number),
    }));
  }

  /** Fills the search keys of rows mirrored before 0002_products (a no-op once done). */
  async fillSearchKeys(): Promise<number> {
    const db = await this.database.db();
    let filled = 0;
    for (;;) {
      const rows = await db
        .selectFrom('mirror_customers')
        .select(['page_id', 'id', 'name', 'phone_numbers'])
        .where('phones_e164', 'is', null)
        .limit(FILL_BATCH)
        .execute();
      if (rows.length === 0) break;
      for (const row of rows)
        await db
          .updateTable('mirror_customers')
          .set({
            name_folded: foldName(row.name),
            phones_e164: phonesE164Of(row.phone_numbers, this.config.phoneDefaultRegion),
          })
          .where('page_id', '=', row.page_id)
          .where('id', '=', row.id)
          .execute();
      filled += rows.length;
    }
    if (filled > 0) this.logger.log({ msg: 'Search keys filled', customers: filled });
    return filled;
  }
}

/** A LIKE pattern matching `text` literally (the default escape character is a backslash). */
function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
