import { Injectable } from '@nestjs/common';
import { DatabaseService } from '../infra/database/database.service.js';
import type { CustomerEventType, EventOrigin } from '../mirror/customer-events.policy.js';
import { customerFromJson, noteFromJson } from '../mirror/customer-json.js';
import type { StoredEvent } from '../mirror/mirror.store.js';

/**
 * The recorded events, read by cursor. Cursors of a page are allocated under its row lock and
 * commit in order, so "seq > after" never skips an event that commits later.
 */
@Injectable()
export class EventsStore {
  constructor(private readonly database: DatabaseService) {}

  /** Up to `limit` events of the page after `afterSeq`, oldest first; `types` null: all. */
  async read(
    pageId: string,
    afterSeq: number,
    limit: number,
    types: readonly CustomerEventType[] | null,
  ): Promise<StoredEvent[]> {
    const db = await this.database.db();
    let query = db
      .selectFrom('customer_events')
      .selectAll()
      .where('page_id', '=', pageId)
      .where('seq', '>', afterSeq);
    if (types) query = query.where('type', 'in', [...types]);
    const rows = await query.orderBy('seq', 'asc').limit(limit).execute();
    return rows.map((row) => ({
      id: row.id,
      type: row.type as CustomerEventType,
      origin: row.origin as EventOrigin,
      pageId: row.page_id,
      seq: row.seq,
      customerId: row.customer_id,
      occurredAt: row.occurred_at,
      changedFields: jsonOf<string[]>(row.changed_fields),
      customer: customerFromJson(row.customer),
      note: row.note === null ? null : noteFromJson(row.note),
    }));
  }

  /** The last cursor of the page (0: none yet): where a feed without `after` starts. */
  async headSeq(pageId: string): Promise<number> {
    const db = await this.database.db();
    const row = await db
      .selectFrom('customer_events')
      .select((eb) => eb.fn.max('seq').as('head'))
      .where('page_id', '=', pageId)
      .executeTakeFirst();
    return Number(row?.head ?? 0);
  }
}

/** jsonb as the driver gives it: parsed (pg, PGlite) or, defensively, still text. */
function jsonOf<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}
