import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import type { MirrorPagesTable } from '../infra/database/database-tables.js';
import { DatabaseService } from '../infra/database/database.service.js';
import { ensurePage } from './mirror.store.js';
import type { SyncState } from './read-source.policy.js';

export type { SyncState };

/** A page's sync row as the sync and the status readers use it. */
export interface PageSyncRow {
  pageId: string;
  state: SyncState;
  customers: number;
  scanUntil: Date | null;
  scanKind: 'backfill' | 'reconcile' | null;
  scanSeen: number;
  scanRemaining: number | null;
  watermark: Date | null;
  lastPolledAt: Date | null;
  nextReconcileAt: Date | null;
  failures: number;
  lastError: string | null;
  leaseExpiresAt: Date | null;
}

/** A lease held: its fencing token goes with every position the holder writes. */
export interface Lease {
  pageId: string;
  owner: string;
  token: number;
}

/**
 * Per-page sync state and the one-poller lease, in the database every replica shares. Lease
 * times use the database's clock, so replicas with skewed clocks still agree on expiry.
 */
@Injectable()
export class SyncStateStore {
  constructor(private readonly database: DatabaseService) {}

  async read(pageId: string): Promise<PageSyncRow | null> {
    const db = await this.database.db();
    const row = await db
      .selectFrom('mirror_pages')
      .selectAll()
      .where('page_id', '=', pageId)
      .executeTakeFirst();
    return row ? toRow(row) : null;
  }

  /**
   * Takes the page's lease when it is free, expired or already ours; the token grows on every
   * change of holder, so a deposed holder's later writes are refused (see MirrorStore.apply).
   */
  async acquire(pageId: string, owner: string, ttlMs: number): Promise<Lease | null> {
    const db = await this.database.db();
    return db.transaction().execute(async (trx) => {
      await ensurePage(trx, pageId);
      const taken = await trx
        .updateTable('mirror_pages')
        .set({
          lease_token: sql`case when lease_owner = ${owner} and lease_expires_at > now() then lease_token else lease_token + 1 end`,
          lease_owner: owner,
          lease_expires_at: sql`now() + ${`${ttlMs} milliseconds`}::interval`,
        })
        .where('page_id', '=', pageId)
        .where((eb) =>
          eb.or([
            eb('lease_owner', 'is', null),
            eb('lease_owner', '=', owner),
            eb('lease_expires_at', '<', sql<Date>`now()`),
          ]),
        )
        .returning('lease_token')
        .executeTakeFirst();
      return taken ? { pageId, owner, token: taken.lease_token } : null;
    });
  }

  /** Extends a held lease; false when it was lost (expired and taken, or released). */
  async renew(lease: Lease, ttlMs: number): Promise<boolean> {
    const db = await this.database.db();
    const renewed = await db
      .updateTable('mirror_pages')
      .set({ lease_expires_at: sql`now() + ${`${ttlMs} milliseconds`}::interval` })
      .where('page_id', '=', lease.pageId)
      .where('lease_owner', '=', lease.owner)
      .where('lease_token', '=', lease.token)
      .executeTakeFirst();
    return Number(renewed.numUpdatedRows) > 0;
  }

  /** Gives the lease up at shutdown so another replica takes over at once. */
  async release(lease: Lease): Promise<void> {
    const db = await this.database.db();
    await db
      .updateTable('mirror_pages')
      .set({ lease_owner: null, lease_expires_at: null })
      .where('page_id', '=', lease.pageId)
      .where('lease_owner', '=', lease.owner)
      .where('lease_token', '=', lease.token)
      .execute();
  }

  /** A failed step: counted, with its message, under the lease (a deposed holder writes nothing). */
  async recordFailure(lease: Lease, message: string, state?: SyncState): Promise<void> {
    const db = await this.database.db();
    await db
      .updateTable('mirror_pages')
      .set({
        failures: sql`failures + 1`,
        last_error: message.slice(0, 500),
        ...(state ? { state } : {}),
      })
      .where('page_id', '=', lease.pageId)
      .where('lease_owner', '=', lease.owner)
      .where('lease_token', '=', lease.token)
      .execute();
  }
}

function toRow(row: {
  [K in keyof MirrorPagesTable]: unknown;
}): PageSyncRow {
  const date = (value: unknown): Date | null =>
    value === null || value === undefined ? null : new Date(value as string);
  return {
    pageId: row.page_id as string,
    state: row.state as SyncState,
    customers: Number(row.customers),
    scanUntil: date(row.scan_until),
    scanKind: (row.scan_kind as PageSyncRow['scanKind']) ?? null,
    scanSeen: Number(row.scan_seen),
    scanRemaining: row.scan_remaining === null ? null : Number(row.scan_remaining),
    watermark: date(row.watermark),
    lastPolledAt: date(row.last_polled_at),
    nextReconcileAt: date(row.next_reconcile_at),
    failures: Number(row.failures),
    lastError: (row.last_error as string | null) ?? null,
    leaseExpiresAt: date(row.lease_expires_at),
  };
}
