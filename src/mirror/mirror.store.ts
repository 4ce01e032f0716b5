import { Injectable } from '@nestjs/common';
import { sql, type Insertable, type Transaction } from 'kysely';
import type { DatabaseTables } from '../infra/database/database-tables.js';
import { GatewayConfig } from '../config/gateway-config.js';
import { DatabaseService } from '../infra/database/database.service.js';
import { toRawListParams } from '../pancake/customer.mapper.js';
import type {
  CustomerListPage,
  CustomerListQuery,
  CustomerRecord,
} from '../pancake/pancake.model.js';
import { customerFromJson, customerToJson } from './customer-json.js';
import {
  contentHashOf,
  eventsBetween,
  isNewer,
  type EventDraft,
  type EventOrigin,
} from './customer-events.policy.js';
import { EventOutbox } from './event-outbox.js';
import type { StoredEvent } from './stored-event.js';
import { LeaseLostError } from './mirror-errors.js';
import { NO_RECORD_REUSE, type MirroredRecords } from './mirrored-records.js';
import { TrustedPageVersions } from './trusted-page-versions.js';
import type { WindowRow } from './window-index.js';
import { WindowIndexStore } from './window-index.store.js';
import { foldName, phonesE164Of } from './search-keys.js';

type Tx = Transaction<DatabaseTables>;

export type { StoredEvent } from './stored-event.js';

/** Sync-position columns written in the same transaction as the rows a scan step read. */
export interface PositionUpdate {
  owner: string;
  token: number;
  set: Partial<{
    scan_until: Date | null;
    scan_kind: string | null;
    scan_seen: number;
    scan_remaining: number | null;
    watermark: Date | null;
    last_polled_at: Date | null;
    next_reconcile_at: Date | null;
    state: string;
    failures: number;
    last_error: string | null;
  }>;
}

export interface ApplyResult {
  /** Customers stored for the first time. */
  created: number;
  /** Customers whose stored version changed. */
  changed: number;
  events: StoredEvent[];
}

/**
 * The mirrored customers and their events. Every change is applied in one transaction with
 * its events (and, for the sync, its position, fenced by the lease token), so a crash or a
 * deposed leader can neither lose an event nor record one twice.
 */
@Injectable()
export class MirrorStore {
  private records: MirroredRecords = NO_RECORD_REUSE;
  /**
   * Page versions read once and moved by this process's commits. The embedded database has
   * one writer, this process, so what it read stays true; a shared server's is trusted only
   * briefly, since another replica may have written (see TrustedPageVersions).
   */
  private readonly versions: TrustedPageVersions;

  constructor(
    private readonly database: DatabaseService,
    private readonly outbox: EventOutbox,
    private readonly config: GatewayConfig,
    private readonly windows: WindowIndexStore,
  ) {
    this.versions = new TrustedPageVersions(
      database.kind === 'pglite' ? Infinity : config.mirror.versionTrustMs,
    );
  }

  async apply(
    pageId: string,
    records: readonly CustomerRecord[],
    origin: EventOrigin,
    position?: PositionUpdate,
  ): Promise<ApplyResult> {
    const db = await this.database.db();
    const applied = await db.transaction().execute(async (trx) => {
      await ensurePage(trx, pageId);
      // The page row is the per-page lock: events get their cursors in commit order.
      const page = await trx
        .selectFrom('mirror_pages')
        .select(['next_event_seq', 'version'])
        .where('page_id', '=', pageId)
        .forUpdate()
        .executeTakeFirstOrThrow();
      // Rows written here carry the version this apply moves the page to.
      const result = await this.upsert(trx, pageId, records, origin, {
        firstSeq: page.next_event_seq,
        version: Number(page.version) + 1,
      });
      let version: number | null = null;
      if (result.events.length > 0 || result.created > 0 || result.changed > 0) {
        const bumped = await trx
          .updateTable('mirror_pages')
          .set({
            next_event_seq: page.next_event_seq + result.events.length,
            customers: sql`customers + ${result.created}`,
            // Answers built from the page's rows are replayed only while this stays put.
            version: sql`version + 1`,
          })
          .where('page_id', '=', pageId)
          .returning('version')
          .executeTakeFirstOrThrow();
        version = Number(bumped.version);
      }
      // Outbox rows (webhook deliveries) commit with the events or not at all.
      await this.outbox.write(trx, pageId, result.events);
      if (position) await fencedUpdate(trx, pageId, position);
      return { result, version };
    });
    // Moved only after the commit: a read that took the older version may hold the new rows
    // (its answer is then never replayed), never the reverse.
    if (applied.version !== null) this.versions.moved(pageId, applied.version);
    return applied.result;
  }

  /**
   * Called once the gateway's own write is in the mirror, before it answers: on a shared
   * server, waits out the time other replicas trust a version they read before the commit
   * (TrustedPageVersions), so a read sent after the answer sees the write on every replica.
   */
  async afterGatewayWrite(): Promise<void> {
    if (this.database.kind === 'pglite') return;
    const trustMs = this.config.mirror.versionTrustMs;
    // Timers may fire up to a millisecond early: wait on the monotonic clock itself.
    const until = performance.now() + trustMs;
    while (performance.now() < until)
      await new Promise((resolve) => setTimeout(resolve, Math.ceil(until - performance.now())));
  }

  /**
   * The gateway is about to write this customer: until `untilMs`, changes to it that the sync
   * sees are the gateway's (origin GATEWAY), even when the sync sees them before the read-back.
   */
  async markGatewayWrite(pageId: string, customerId: string, untilMs: number): Promise<void> {
    const db = await this.database.db();
    const expiresAt = new Date(untilMs);
    await db
      .insertInto('gateway_writes')
      .values({ page_id: pageId, customer_id: customerId, expires_at: expiresAt })
      .onConflict((oc) =>
        oc.columns(['page_id', 'customer_id']).doUpdateSet({
          expires_at: sql`greatest(gateway_writes.expires_at, excluded.expires_at)`,
        }),
      )
      .execute();
  }

  /**
   * After a full pass on the embedded database, which runs no autovacuum: without it the
   * planner has no statistics and every window count reads each row from the heap.
   */
  async afterFullPass(): Promise<void> {
    if (this.database.kind !== 'pglite') return;
    const db = await this.database.db();
    await sql`vacuum analyze mirror_customers`.execute(db);
  }

  /**
   * The page's mirror version: it moves with every change to its rows (0: none yet). Asked of
   * the database only when the one known is no longer trusted (see `versions`).
   */
  version(pageId: string): Promise<number> {
    return this.versions.get(pageId, () => this.storedVersion(pageId));
  }

  private async storedVersion(pageId: string): Promise<number> {
    const db = await this.database.db();
    const row = await db
      .selectFrom('mirror_pages')
      .select('version')
      .where('page_id', '=', pageId)
      .executeTakeFirst();
    return row ? Number(row.version) : 0;
  }

  async get(pageId: string, id: string): Promise<CustomerRecord | null> {
    const db = await this.database.db();
    const row = await db
      .selectFrom('mirror_customers')
      .select('record')
      .where('page_id', '=', pageId)
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? customerFromJson(row.record) : null;
  }

  /**
   * Upstream's list, answered from the mirror with upstream's rules (whole seconds, inclusive).
   * `version`: the page's version taken before this call; the window's rows and total come
   * from the page's window index as of it or later, the records kept here or read in one query.
   */
  async list(pageId: string, query: CustomerListQuery, version: number): Promise<CustomerListPage> {
    const raw = toRawListParams(query);
    const column = raw.order_by === 'updated_at' ? 'updated_at' : 'inserted_at';
    const from = raw.since * 1000;
    const to = (raw.until + 1) * 1000;
    const index = await this.windows.at(pageId, version);
    const offset = (raw.page_number - 1) * raw.page_size;
    return {
      total: index.count(column, from, to),
      customers: await this.recordsOf(pageId, index.page(column, from, to, offset, raw.page_size)),
    };
  }

  /** Records for this process to reuse (bound by the layer that owns the memory budget). */
  reuseRecordsFrom(records: MirroredRecords): void {
    this.records = records;
  }

  /**
   * The records of listed rows, in their order: those kept at the same version reused, the
   * others read in one query (as text: parsed once here, not by the driver and again).
   */
  private async recordsOf(pageId: string, rows: readonly WindowRow[]): Promise<CustomerRecord[]> {
    const found = new Map<string, CustomerRecord>();
    const missing: string[] = [];
    for (const row of rows) {
      const kept = this.records.get(pageId, row.id, row.version);
      if (kept) found.set(row.id, kept);
      else missing.push(row.id);
    }
    if (missing.length > 0) {
      const db = await this.database.db();
      const read = await db
        .selectFrom('mirror_customers')
        .select(['id', 'changed_version', sql<string>`record::text`.as('record')])
        .where('page_id', '=', pageId)
        .where('id', 'in', missing)
        .execute();
      for (const row of read) {
        const record = customerFromJson(row.record);
        this.records.set(pageId, row.id, Number(row.changed_version), record);
        found.set(row.id, record);
      }
    }
    return rows.flatMap((row) => found.get(row.id) ?? []);
  }

  /**
   * Stores the versions that are new, with their events, in a fixed number of statements per
   * chunk rather than two per customer: a backfill step of 100 customers is a handful of round
   * trips, and on PGlite (which runs on the gateway's own thread) it holds client reads up less.
   */
  private async upsert(
    trx: Tx,
    pageId: string,
    records: readonly CustomerRecord[],
    origin: EventOrigin,
    { firstSeq, version }: { firstSeq: number; version: number },
  ): Promise<ApplyResult> {
    const result: ApplyResult = { created: 0, changed: 0, events: [] };
    if (records.length === 0) return result;
    const latest = [...latestById(records).values()];
    const ids = latest.map((record) => record.id);
    const before = new Map<string, { record: unknown; content_hash: string }>();
    for (const chunk of chunks(ids, SELECT_CHUNK))
      for (const row of await trx
        .selectFrom('mirror_customers')
        .select(['id', 'record', 'content_hash'])
        .where('page_id', '=', pageId)
        .where('id', 'in', chunk)
        .forUpdate()
        .execute())
        before.set(row.id, row);
    const ours = new Set<string>();
    if (origin === 'PANCAKE')
      for (const chunk of chunks(ids, SELECT_CHUNK))
        for (const id of await gatewayWrites(trx, pageId, chunk)) ours.add(id);
    const now = new Date();
    const rows: CustomerRow[] = [];
    const drafts: { draft: EventDraft; origin: EventOrigin; record: CustomerRecord }[] = [];
    for (const record of latest) {
      const previous = before.get(record.id);
      const previousRecord = previous ? customerFromJson(previous.record) : null;
      if (previous && previousRecord && !isNewer(previousRecord, previous.content_hash, record))
        continue;
      rows.push({
        page_id: pageId,
        id: record.id,
        psid: record.psid,
        global_customer_id: record.globalCustomerId,
        name: record.name,
        phone_numbers: record.phoneNumbers,
        inserted_at: record.insertedAt,
        updated_at: record.updatedAt,
        content_hash: contentHashOf(record),
        record: customerToJson(record),
        synced_at: now,
        name_folded: foldName(record.name),
        phones_e164: phonesE164Of(record.phoneNumbers, this.config.phoneDefaultRegion),
        changed_version: version,
      });
      if (previous) result.changed += 1;
      else result.created += 1;
      const recordOrigin: EventOrigin = ours.has(record.id) ? 'GATEWAY' : origin;
      for (const draft of eventsBetween(pageId, previousRecord, record))
        drafts.push({ draft, origin: recordOrigin, record });
    }
    // PGlite runs each statement on this thread and answers through microtasks only: without a
    // turn of the event loop between chunks, one apply would hold every socket up to its end.
    const embedded = this.database.kind === 'pglite';
    const writeChunk = embedded ? EMBEDDED_WRITE_CHUNK : WRITE_CHUNK;
    const letIoIn = (): Promise<void> =>
      embedded ? new Promise((resolve) => setImmediate(resolve)) : Promise.resolve();
    for (const chunk of chunks(rows, writeChunk)) {
      await letIoIn();
      await trx
        .insertInto('mirror_customers')
        .values(chunk)
        .onConflict((oc) =>
          oc.columns(['page_id', 'id']).doUpdateSet((eb) => ({
            psid: eb.ref('excluded.psid'),
            global_customer_id: eb.ref('excluded.global_customer_id'),
            name: eb.ref('excluded.name'),
            phone_numbers: eb.ref('excluded.phone_numbers'),
            inserted_at: eb.ref('excluded.inserted_at'),
            updated_at: eb.ref('excluded.updated_at'),
            content_hash: eb.ref('excluded.content_hash'),
            record: eb.ref('excluded.record'),
            synced_at: eb.ref('excluded.synced_at'),
            name_folded: eb.ref('excluded.name_folded'),
            phones_e164: eb.ref('excluded.phones_e164'),
            changed_version: eb.ref('excluded.changed_version'),
          })),
        )
        .execute();
    }
    // A change already recorded (same id) takes no cursor. Only apply() writes a page's events,
    // under the page row's lock, so no such id can appear between this look-up and the insert.
    const recorded = new Set<string>();
    for (const chunk of chunks(
      drafts.map(({ draft }) => draft.id),
      SELECT_CHUNK,
    ))
      for (const row of await trx
        .selectFrom('customer_events')
        .select('id')
        .where('id', 'in', chunk)
        .execute())
        recorded.add(row.id);
    for (const { draft, origin: eventOrigin, record } of drafts) {
      if (recorded.has(draft.id)) continue;
      recorded.add(draft.id);
      const seq = firstSeq + result.events.length;
      result.events.push({ ...draft, pageId, seq, origin: eventOrigin, customer: record });
    }
    for (const chunk of chunks(result.events, writeChunk)) {
      await letIoIn();
      await trx
        .insertInto('customer_events')
        .values(
          chunk.map((event) => ({
            page_id: pageId,
            seq: event.seq,
            id: event.id,
            type: event.type,
            origin: event.origin,
            customer_id: event.customerId,
            occurred_at: event.occurredAt,
            changed_fields: JSON.stringify(event.changedFields),
            customer: customerToJson(event.customer),
            note: event.note ? JSON.stringify(event.note) : null,
          })),
        )
        .execute();
    }
    return result;
  }
}

/** Rows per multi-row insert: far below PostgreSQL's 65,535 bind parameters (11 per row). */
const WRITE_CHUNK = 500;
/** On PGlite: statements short enough (a few ms) that the event loop's turns come often. */
const EMBEDDED_WRITE_CHUNK = 20;
/** Ids per `in (...)` look-up. */
const SELECT_CHUNK = 5000;

type CustomerRow = Insertable<DatabaseTables['mirror_customers']>;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** The page's row, created on first sight (a write may come before the page is synced). */
export async function ensurePage(trx: Tx, pageId: string): Promise<void> {
  await trx
    .insertInto('mirror_pages')
    .values({ page_id: pageId, state: 'PAUSED' })
    .onConflict((oc) => oc.column('page_id').doNothing())
    .execute();
}

/** Writes a sync position only while the writer still holds the lease it read it under. */
async function fencedUpdate(trx: Tx, pageId: string, position: PositionUpdate): Promise<void> {
  const updated = await trx
    .updateTable('mirror_pages')
    .set(position.set)
    .where('page_id', '=', pageId)
    .where('lease_owner', '=', position.owner)
    .where('lease_token', '=', position.token)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) === 0) throw new LeaseLostError(pageId);
}

/** Customers of the batch the gateway is writing now (unexpired marks). */
async function gatewayWrites(trx: Tx, pageId: string, ids: string[]): Promise<Set<string>> {
  const marks = await trx
    .selectFrom('gateway_writes')
    .select('customer_id')
    .where('page_id', '=', pageId)
    .where('customer_id', 'in', ids)
    .where('expires_at', '>', sql<Date>`now()`)
    .execute();
  return new Set(marks.map((mark) => mark.customer_id));
}

/** One record per id: the newest version (a scan may see a customer twice). */
function latestById(records: readonly CustomerRecord[]): Map<string, CustomerRecord> {
  const latest = new Map<string, CustomerRecord>();
  for (const record of records) {
    const known = latest.get(record.id);
    if (!known || (record.updatedAt?.getTime() ?? 0) >= (known.updatedAt?.getTime() ?? 0))
      latest.set(record.id, record);
  }
  return latest;
}
