import { Injectable } from '@nestjs/common';
import { sql, type Selectable, type Transaction } from 'kysely';
import type { DatabaseTables, WebhooksTable } from '../infra/database/database-tables.js';
import { DatabaseService } from '../infra/database/database.service.js';
import type { StoredEvent } from '../mirror/mirror.store.js';
import type { WebhookView } from './webhook.types.js';

export type WebhookRow = Selectable<WebhooksTable>;

export interface NewWebhook {
  id: string;
  owner: string;
  url: string;
  pageIds: string[];
  types: string[];
  description: string | null;
  secret: string;
}

/** The endpoints (webhooks table), always read and written under their owner. */
@Injectable()
export class WebhooksStore {
  constructor(private readonly database: DatabaseService) {}

  /**
   * Inserts unless the owner already has `max`; the owner's advisory lock makes the count and
   * the insert one step, so two concurrent creates cannot both pass the limit.
   */
  async insert(webhook: NewWebhook, max: number, now: Date): Promise<WebhookRow | 'limit'> {
    const db = await this.database.db();
    return db.transaction().execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(hashtext(${`webhooks:${webhook.owner}`}))`.execute(
        trx,
      );
      const { count } = await trx
        .selectFrom('webhooks')
        .select((eb) => eb.fn.countAll<number>().as('count'))
        .where('owner', '=', webhook.owner)
        .executeTakeFirstOrThrow();
      if (Number(count) >= max) return 'limit';
      return trx
        .insertInto('webhooks')
        .values({
          id: webhook.id,
          owner: webhook.owner,
          url: webhook.url,
          page_ids: webhook.pageIds,
          types: webhook.types,
          description: webhook.description,
          secret: webhook.secret,
          created_at: now,
          updated_at: now,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
    });
  }

  async list(owner: string): Promise<WebhookRow[]> {
    const db = await this.database.db();
    return db
      .selectFrom('webhooks')
      .selectAll()
      .where('owner', '=', owner)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
  }

  async get(owner: string, id: string): Promise<WebhookRow | undefined> {
    const db = await this.database.db();
    return db
      .selectFrom('webhooks')
      .selectAll()
      .where('owner', '=', owner)
      .where('id', '=', id)
      .executeTakeFirst();
  }

  async update(
    owner: string,
    id: string,
    set: Partial<Omit<WebhookRow, 'id' | 'owner' | 'created_at'>>,
  ): Promise<WebhookRow | undefined> {
    const db = await this.database.db();
    return db
      .updateTable('webhooks')
      .set(set)
      .where('owner', '=', owner)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
  }

  async delete(owner: string, id: string): Promise<boolean> {
    const db = await this.database.db();
    const result = await db
      .deleteFrom('webhooks')
      .where('owner', '=', owner)
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  /** A 410 answer: the endpoint is gone, stop sending until its owner enables it again. */
  async disable(id: string, reason: string, now: Date): Promise<void> {
    const db = await this.database.db();
    await db
      .updateTable('webhooks')
      .set({ enabled: false, disabled_reason: reason, updated_at: now })
      .where('id', '=', id)
      .execute();
  }

  /**
   * The outbox: a delivery per event and enabled endpoint of the page whose types match, in
   * the transaction that records the events (one INSERT ... SELECT, whatever the number of
   * endpoints).
   */
  async queueDeliveries(
    trx: Transaction<DatabaseTables>,
    pageId: string,
    events: readonly StoredEvent[],
    now: Date,
  ): Promise<void> {
    const ids = events.map((event) => event.id);
    const types = events.map((event) => event.type);
    await sql`
      insert into webhook_deliveries (webhook_id, event_id, page_id, status, next_attempt_at, created_at)
      select w.id, e.id, ${pageId}, 'PENDING', ${now}, ${now}
      from webhooks w
      cross join unnest(${ids}::text[], ${types}::text[]) as e (id, type)
      where w.enabled
        and ${pageId} = any (w.page_ids)
        and (cardinality(w.types) = 0 or e.type = any (w.types))
      on conflict (webhook_id, event_id) do nothing`.execute(trx);
  }

  /**
   * Queues again every event of the endpoint's pages and types recorded since `since`: new
   * deliveries for events it never had, a fresh schedule for the others. Returns how many.
   */
  async replay(webhook: WebhookRow, since: Date, now: Date): Promise<number> {
    const db = await this.database.db();
    const result = await sql`
      insert into webhook_deliveries (webhook_id, event_id, page_id, status, next_attempt_at, created_at)
      select ${webhook.id}, e.id, e.page_id, 'PENDING', ${now}, ${now}
      from customer_events e
      where e.page_id = any (${webhook.page_ids}::text[])
        and e.recorded_at >= ${since}
        and (${webhook.types.length} = 0 or e.type = any (${webhook.types}::text[]))
      on conflict (webhook_id, event_id) do update
        set status = 'PENDING', attempt = 0, next_attempt_at = excluded.next_attempt_at,
            response_status = null, last_error = null, claim_token = null, locked_until = null`.execute(
      db,
    );
    return Number(result.numAffectedRows ?? 0);
  }
}

export function viewOf(row: WebhookRow): WebhookView {
  return {
    id: row.id,
    url: row.url,
    pageIds: row.page_ids,
    types: row.types,
    enabled: row.enabled,
    description: row.description,
    createdAt: row.created_at,
  };
}
