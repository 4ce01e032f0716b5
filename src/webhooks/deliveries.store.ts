import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { DatabaseService } from '../infra/database/database.service.js';
import type { EventRow } from './webhook-payload.js';
import type { DeliveryStatus, DeliveryView } from './webhook.types.js';

/** A delivery this dispatcher holds a claim on, with what it needs to send it. */
export interface ClaimedDelivery {
  id: number;
  webhookId: string;
  attempt: number;
  claimToken: string;
  url: string;
  secret: string;
  previousSecret: string | null;
  previousSecretUntil: Date | null;
  event: EventRow;
}

export interface ClaimRequest {
  now: Date;
  /** The claim expires then: another replica may take the delivery after it. */
  lockedUntil: Date;
  claimToken: string;
  limit: number;
  perEndpoint: number;
  /** Endpoints this process already sends its share to: none of theirs now. */
  busyEndpoints: readonly string[];
}

/** A claimed delivery and what its attempt came to. */
export interface SettledAttempt {
  delivery: ClaimedDelivery;
  outcome: AttemptOutcome;
}

/** What an attempt changes on its delivery. */
export interface AttemptOutcome {
  status: DeliveryStatus;
  responseStatus: number | null;
  error: string | null;
  attemptedAt: Date;
  nextAttemptAt: Date | null;
}

/** The outbox table (webhook_deliveries): claims, results and the deliveries API. */
@Injectable()
export class DeliveriesStore {
  constructor(private readonly database: DatabaseService) {}

  /**
   * Claims due deliveries of enabled endpoints, at most `perEndpoint` each, in one short
   * transaction: rows another replica is claiming are skipped (SKIP LOCKED), and a claim is a
   * lease (`locked_until`), so a replica killed mid-send leaves nothing held for long.
   */
  async claim(request: ClaimRequest): Promise<ClaimedDelivery[]> {
    const db = await this.database.db();
    const { rows } = await sql<ClaimRow>`
      with due as (
        select d.id, d.webhook_id, d.next_attempt_at
        from webhook_deliveries d
        where d.status in ('PENDING', 'FAILED')
          and d.next_attempt_at <= ${request.now}
          and (d.locked_until is null or d.locked_until <= ${request.now})
          and not (d.webhook_id = any (${[...request.busyEndpoints]}::text[]))
          and exists (select 1 from webhooks w where w.id = d.webhook_id and w.enabled)
        order by d.next_attempt_at, d.id
        limit ${request.limit * 4}
        for update of d skip locked
      ), picked as (
        select id from (
          select id, next_attempt_at,
            row_number() over (partition by webhook_id order by next_attempt_at, id) as n
          from due
        ) ranked
        where n <= ${request.perEndpoint}
        order by next_attempt_at, id
        limit ${request.limit}
      ), claimed as (
        update webhook_deliveries d
        set claim_token = ${request.claimToken}, locked_until = ${request.lockedUntil},
            attempt = d.attempt + 1
        from picked
        where d.id = picked.id
        returning d.id, d.webhook_id, d.event_id, d.attempt
      )
      select c.id, c.webhook_id, c.attempt, w.url, w.secret, w.previous_secret,
        w.previous_secret_until, e.id as event_id, e.type, e.origin, e.page_id, e.occurred_at,
        e.changed_fields, e.customer, e.note
      from claimed c
      join webhooks w on w.id = c.webhook_id
      join customer_events e on e.id = c.event_id`.execute(db);
    return rows.map((row) => ({
      id: Number(row.id),
      webhookId: row.webhook_id,
      attempt: Number(row.attempt),
      claimToken: request.claimToken,
      url: row.url,
      secret: row.secret,
      previousSecret: row.previous_secret,
      previousSecretUntil: row.previous_secret_until ? new Date(row.previous_secret_until) : null,
      event: {
        id: row.event_id,
        type: row.type,
        origin: row.origin,
        page_id: row.page_id,
        occurred_at: new Date(row.occurred_at),
        changed_fields: row.changed_fields,
        customer: row.customer,
        note: row.note,
      },
    }));
  }

  /**
   * Writes attempts' results in one statement, each only while its claim is still this
   * dispatcher's (a lapsed claim belongs to whoever took it since).
   */
  async settle(results: readonly SettledAttempt[]): Promise<void> {
    if (results.length === 0) return;
    const db = await this.database.db();
    const column = <T>(pick: (r: SettledAttempt) => T): T[] => results.map(pick);
    const iso = (date: Date | null): string | null => (date ? date.toISOString() : null);
    await sql`
      update webhook_deliveries d
      set status = v.status, response_status = v.response_status, last_error = v.last_error,
        last_attempt_at = v.attempted_at, next_attempt_at = v.next_attempt_at,
        claim_token = null, locked_until = null
      from unnest(
        ${column((r) => r.delivery.id)}::bigint[],
        ${column((r) => r.delivery.claimToken)}::text[],
        ${column((r) => r.outcome.status)}::text[],
        ${column((r) => r.outcome.responseStatus)}::integer[],
        ${column((r) => r.outcome.error)}::text[],
        ${column((r) => iso(r.outcome.attemptedAt))}::timestamptz[],
        ${column((r) => iso(r.outcome.nextAttemptAt))}::timestamptz[]
      ) as v (id, claim_token, status, response_status, last_error, attempted_at, next_attempt_at)
      where d.id = v.id and d.claim_token = v.claim_token`.execute(db);
  }

  /** The most recent deliveries of an endpoint, newest first. */
  async recent(webhookId: string, limit: number): Promise<DeliveryView[]> {
    const db = await this.database.db();
    const rows = await db
      .selectFrom('webhook_deliveries')
      .selectAll()
      .where('webhook_id', '=', webhookId)
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
    return rows.map((row) => ({
      id: String(row.id),
      eventId: row.event_id,
      attempt: row.attempt,
      status: row.status as DeliveryStatus,
      responseStatus: row.response_status,
      nextAttemptAt: row.next_attempt_at,
      lastAttemptAt: row.last_attempt_at,
      createdAt: row.created_at,
    }));
  }

  /** Deliveries waiting (due or scheduled) and dead ones, for the gauges (partial indexes). */
  async depth(): Promise<{ waiting: number; dead: number }> {
    const db = await this.database.db();
    const count = (statuses: string[]) =>
      db
        .selectFrom('webhook_deliveries')
        .select((eb) => eb.fn.countAll<number>().as('count'))
        .where('status', 'in', statuses)
        .executeTakeFirstOrThrow();
    const [waiting, dead] = await Promise.all([count(['PENDING', 'FAILED']), count(['DEAD'])]);
    return { waiting: Number(waiting.count), dead: Number(dead.count) };
  }
}

interface ClaimRow {
  id: number;
  webhook_id: string;
  attempt: number;
  url: string;
  secret: string;
  previous_secret: string | null;
  previous_secret_until: Date | string | null;
  event_id: string;
  type: string;
  origin: string;
  page_id: string;
  occurred_at: Date | string;
  changed_fields: string[];
  customer: unknown;
  note: unknown;
}
