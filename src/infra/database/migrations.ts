// Versioned migrations, applied in name order at boot by Kysely's Migrator (under
// PostgreSQL's advisory lock, so replicas starting together apply each once).
import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

const mirror: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await sql`
      create table mirror_pages (
        page_id text primary key,
        state text not null,
        customers integer not null default 0,
        scan_until timestamptz,
        scan_kind text,
        scan_seen integer not null default 0,
        scan_remaining integer,
        watermark timestamptz,
        last_polled_at timestamptz,
        next_reconcile_at timestamptz,
        failures integer not null default 0,
        last_error text,
        lease_owner text,
        lease_token bigint not null default 0,
        lease_expires_at timestamptz,
        next_event_seq bigint not null default 1,
        version bigint not null default 0
      )`.execute(db);
    await sql`
      create table mirror_customers (
        page_id text not null,
        id text not null,
        psid text not null,
        global_customer_id text,
        name text,
        phone_numbers text[] not null default '{}',
        inserted_at timestamptz,
        updated_at timestamptz,
        content_hash text not null,
        record jsonb not null,
        synced_at timestamptz not null,
        primary key (page_id, id)
      )`.execute(db);
    // The two list orders, newest first then id ascending, as upstream pages them.
    await sql`create index mirror_customers_by_updated on mirror_customers (page_id, updated_at desc, id)`.execute(
      db,
    );
    await sql`create index mirror_customers_by_inserted on mirror_customers (page_id, inserted_at desc, id)`.execute(
      db,
    );
    await sql`
      create table customer_events (
        page_id text not null,
        seq bigint not null,
        id text not null unique,
        type text not null,
        origin text not null,
        customer_id text not null,
        occurred_at timestamptz not null,
        changed_fields jsonb not null,
        customer jsonb not null,
        note jsonb,
        recorded_at timestamptz not null default now(),
        primary key (page_id, seq)
      )`.execute(db);
    // Writes the gateway is making: the sync credits the changes it sees to them (origin GATEWAY).
    await sql`
      create table gateway_writes (
        page_id text not null,
        customer_id text not null,
        expires_at timestamptz not null,
        primary key (page_id, customer_id)
      )`.execute(db);
  },
};

const webhooks: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await sql`
      create table webhooks (
        id text primary key,
        owner text not null,
        url text not null,
        page_ids text[] not null,
        types text[] not null default '{}',
        enabled boolean not null default true,
        description text,
        secret text not null,
        previous_secret text,
        previous_secret_until timestamptz,
        disabled_reason text,
        created_at timestamptz not null,
        updated_at timestamptz not null
      )`.execute(db);
    await sql`create index webhooks_by_owner on webhooks (owner, created_at)`.execute(db);
    // The outbox: one row per event and endpoint, written in the event's own transaction.
    await sql`
      create table webhook_deliveries (
        id bigint generated always as identity primary key,
        webhook_id text not null references webhooks (id) on delete cascade,
        event_id text not null,
        page_id text not null,
        status text not null,
        attempt integer not null default 0,
        next_attempt_at timestamptz,
        last_attempt_at timestamptz,
        response_status integer,
        last_error text,
        claim_token text,
        locked_until timestamptz,
        created_at timestamptz not null,
        unique (webhook_id, event_id)
      )`.execute(db);
    // What the dispatchers scan: deliveries still to attempt, by due time.
    await sql`
      create index webhook_deliveries_due on webhook_deliveries (next_attempt_at)
      where status in ('PENDING', 'FAILED')`.execute(db);
    // The dead-deliveries gauge counts these without reading the delivered ones.
    await sql`create index webhook_deliveries_dead on webhook_deliveries (id) where status = 'DEAD'`.execute(
      db,
    );
    await sql`create index webhook_deliveries_recent on webhook_deliveries (webhook_id, id desc)`.execute(
      db,
    );
  },
};

// The data products' search keys, filled by the app on every upsert (PGlite has no unaccent or
// pg_trgm by default): the name folded for a prefix search, the phones in E.164 for an exact one.
// Null until filled: rows mirrored before this migration are filled at boot (ProductsModule).
const products: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    // Collation C: LIKE 'prefix%' and ORDER BY both use the one btree (byte order), so a name
    // search reads only the rows it returns. Folded names are plain letters: C order is theirs.
    await sql`alter table mirror_customers add column name_folded text collate "C"`.execute(db);
    await sql`alter table mirror_customers add column phones_e164 text[]`.execute(db);
    await sql`create index mirror_customers_by_phone on mirror_customers using gin (phones_e164)`.execute(
      db,
    );
    await sql`create index mirror_customers_by_name on mirror_customers (name_folded, page_id, id)`.execute(
      db,
    );
  },
};

// The page version that last changed each row: a replica brings its in-memory window counts
// (mirror/window-counts.ts) up to a version by reading only the rows changed since.
const rowVersions: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await sql`alter table mirror_customers add column changed_version bigint not null default 0`.execute(
      db,
    );
    await sql`create index mirror_customers_by_change on mirror_customers (page_id, changed_version)`.execute(
      db,
    );
  },
};

/** Every migration by name; names sort in the order they apply. */
export const MIGRATIONS: Record<string, Migration> = {
  '0001_mirror': mirror,
  '0002_products': products,
  '0003_webhooks': webhooks,
  '0005_row_versions': rowVersions,
};
