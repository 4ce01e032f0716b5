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

// New-customer counts read one row per page and UTC day instead of every customer: the customers
// by inserted_at per 15-minute slot (every zone offset in use today is a multiple of 15 minutes),
// 96 slots a day. Statement triggers on mirror_customers keep it exact on PGlite and on a server
// alike, so the mirror's writer does not know it exists; filled here from the rows already there.
const insertedCounts: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await sql`
      create table mirror_inserted_counts (
        page_id text not null,
        day date not null,
        quarters integer[] not null,
        primary key (page_id, day)
      )`.execute(db);
    // Adds +1 or -1 per (page, instant): the net change per slot, written in place (quarters[i]
    // = quarters[i] + n), not as whole 96-slot arrays rebuilt per day touched. An UPDATE changes
    // a row once, so pass k writes the k-th slot of each day; a batch has few slots per day.
    // Slot = 15-minute periods since the epoch; a UTC day is exactly 96 of them.
    await sql`
      create function mirror_inserted_counts_shift(page_ids text[], instants timestamptz[], signs integer[])
      returns void language plpgsql as $fn$
      declare
        moved record;
      begin
        select array_agg(page_id) as pages, array_agg(day) as days, array_agg(slot) as slots,
          array_agg(n) as counts, array_agg(pass) as passes, max(pass) as last_pass
        into moved
        from (
          select page_id, date '1970-01-01' + day_no::integer as day,
            (slot - day_no * 96)::integer + 1 as slot, n,
            row_number() over (partition by page_id, day_no order by slot)::integer as pass
          from (
            select m.page_id, floor(extract(epoch from m.instant) / 900)::bigint as slot,
              floor(floor(extract(epoch from m.instant) / 900) / 96)::bigint as day_no,
              sum(m.sign)::integer as n
            from unnest(page_ids, instants, signs) as m(page_id, instant, sign)
            where m.instant is not null
            group by 1, 2, 3
            having sum(m.sign) <> 0
          ) as net
        ) as ranked;
        if moved.pages is null then
          return;
        end if;
        insert into mirror_inserted_counts (page_id, day, quarters)
        select distinct page_id, day, array_fill(0, array[96])
        from unnest(moved.pages, moved.days) as d(page_id, day)
        on conflict (page_id, day) do nothing;
        for k in 1..moved.last_pass loop
          update mirror_inserted_counts as c set quarters[s.slot] = c.quarters[s.slot] + s.n
          from unnest(moved.pages, moved.days, moved.slots, moved.counts, moved.passes)
            as s(page_id, day, slot, n, pass)
          where s.pass = k and c.page_id = s.page_id and c.day = s.day;
        end loop;
      end
      $fn$`.execute(db);
    // One function for the three statement triggers: the rows that left count -1, those that
    // came +1, so an upsert that rewrites inserted_at unchanged nets to nothing and writes nothing.
    await sql`
      create function mirror_inserted_counts_track() returns trigger language plpgsql as $fn$
      declare
        moved record;
      begin
        if tg_op = 'INSERT' then
          select array_agg(page_id) as pages, array_agg(inserted_at) as instants, array_agg(1) as signs
          into moved from new_rows where inserted_at is not null;
        elsif tg_op = 'DELETE' then
          select array_agg(page_id) as pages, array_agg(inserted_at) as instants, array_agg(-1) as signs
          into moved from old_rows where inserted_at is not null;
        else
          select array_agg(page_id) as pages, array_agg(inserted_at) as instants, array_agg(sign) as signs
          into moved
          from (
            select page_id, inserted_at, -1 as sign from old_rows
            union all
            select page_id, inserted_at, 1 from new_rows
          ) as m
          where inserted_at is not null;
        end if;
        if moved.pages is not null then
          perform mirror_inserted_counts_shift(moved.pages, moved.instants, moved.signs);
        end if;
        return null;
      end
      $fn$`.execute(db);
    await sql`
      create function mirror_inserted_counts_clear() returns trigger language plpgsql as $fn$
      begin
        delete from mirror_inserted_counts;
        return null;
      end
      $fn$`.execute(db);
    await sql`
      create trigger mirror_inserted_counts_on_insert after insert on mirror_customers
      referencing new table as new_rows
      for each statement execute function mirror_inserted_counts_track()`.execute(db);
    await sql`
      create trigger mirror_inserted_counts_on_update after update on mirror_customers
      referencing old table as old_rows new table as new_rows
      for each statement execute function mirror_inserted_counts_track()`.execute(db);
    await sql`
      create trigger mirror_inserted_counts_on_delete after delete on mirror_customers
      referencing old table as old_rows
      for each statement execute function mirror_inserted_counts_track()`.execute(db);
    await sql`
      create trigger mirror_inserted_counts_on_truncate after truncate on mirror_customers
      for each statement execute function mirror_inserted_counts_clear()`.execute(db);
    await sql`
      select mirror_inserted_counts_shift(array_agg(page_id), array_agg(inserted_at), array_agg(1))
      from mirror_customers where inserted_at is not null`.execute(db);
  },
};

// The page version that last changed each row: a replica brings its in-memory window counts
// (mirror/window-index.ts) up to a version by reading only the rows changed since.
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
  '0004_inserted_counts': insertedCounts,
  '0005_row_versions': rowVersions,
};
