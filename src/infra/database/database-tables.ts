// The mirror's tables as Kysely sees them (see migrations.ts for the DDL).
import type { ColumnType, Generated } from 'kysely';

/** A timestamptz: written as a Date, read as a Date. */
type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** jsonb: written as its JSON text, read parsed. */
type Json<T> = ColumnType<T, string, string>;

export interface MirrorPagesTable {
  page_id: string;
  state: string;
  customers: Generated<number>;
  /** Upper edge of the scan in progress (backfill or reconcile); null when none runs. */
  scan_until: Timestamp | null;
  scan_kind: string | null;
  scan_seen: Generated<number>;
  scan_remaining: number | null;
  /** Where the next delta starts (minus the overlap): the upper edge of the last complete one. */
  watermark: Timestamp | null;
  last_polled_at: Timestamp | null;
  next_reconcile_at: Timestamp | null;
  failures: Generated<number>;
  last_error: string | null;
  lease_owner: string | null;
  lease_token: Generated<number>;
  lease_expires_at: Timestamp | null;
  next_event_seq: Generated<number>;
  /** Moves with every change to the page's mirrored rows (replayed answers check it). */
  version: Generated<number>;
}

export interface MirrorCustomersTable {
  page_id: string;
  id: string;
  psid: string;
  global_customer_id: string | null;
  name: string | null;
  phone_numbers: string[];
  inserted_at: Timestamp | null;
  updated_at: Timestamp | null;
  content_hash: string;
  record: Json<unknown>;
  synced_at: Timestamp;
  /** The name without case or accents (search-keys.ts); null: no name, or not filled yet. */
  name_folded: string | null;
  /** The phones that parse, in E.164, stored order; null: not filled yet. */
  phones_e164: string[] | null;
  /** The page version whose apply last wrote the row (0: before 0005_row_versions). */
  changed_version: Generated<number>;
}

/** Kept by triggers on mirror_customers (0004_inserted_counts): never written by the app. */
export interface MirrorInsertedCountsTable {
  page_id: string;
  /** A UTC day. */
  day: ColumnType<string, string, string>;
  /** Customers by inserted_at per 15-minute slot of the day: 96 counts, slot 0 from 00:00 UTC. */
  quarters: number[];
}

export interface CustomerEventsTable {
  page_id: string;
  seq: number;
  id: string;
  type: string;
  origin: string;
  customer_id: string;
  occurred_at: Timestamp;
  changed_fields: Json<string[]>;
  customer: Json<unknown>;
  note: Json<unknown> | null;
  recorded_at: Generated<Date>;
}

export interface GatewayWritesTable {
  page_id: string;
  customer_id: string;
  expires_at: Timestamp;
}

export interface WebhooksTable {
  id: string;
  /** The API key name that created it: only that key sees and manages it. */
  owner: string;
  url: string;
  page_ids: string[];
  /** Event types delivered; empty: every type. */
  types: string[];
  enabled: Generated<boolean>;
  description: string | null;
  secret: string;
  /** The secret before the last rotation, still signing until previous_secret_until. */
  previous_secret: string | null;
  previous_secret_until: Timestamp | null;
  disabled_reason: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface WebhookDeliveriesTable {
  id: Generated<number>;
  webhook_id: string;
  event_id: string;
  page_id: string;
  /** PENDING, SUCCEEDED, FAILED (a retry is due), DEAD. */
  status: string;
  attempt: Generated<number>;
  next_attempt_at: Timestamp | null;
  last_attempt_at: Timestamp | null;
  response_status: number | null;
  last_error: string | null;
  /** The claim of the dispatcher sending it now; its result is written only under it. */
  claim_token: string | null;
  locked_until: Timestamp | null;
  created_at: Timestamp;
}

export interface DatabaseTables {
  mirror_pages: MirrorPagesTable;
  mirror_customers: MirrorCustomersTable;
  mirror_inserted_counts: MirrorInsertedCountsTable;
  customer_events: CustomerEventsTable;
  gateway_writes: GatewayWritesTable;
  webhooks: WebhooksTable;
  webhook_deliveries: WebhookDeliveriesTable;
}
