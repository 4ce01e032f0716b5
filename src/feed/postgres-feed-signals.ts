import { Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { sql } from 'kysely';
import pg from 'pg';
import { Subject, type Subscription } from 'rxjs';
import type { DatabaseService } from '../infra/database/database.service.js';
import type { MirrorEvents } from '../mirror/mirror-events.js';
import { FeedSignals, type FeedSignal } from './feed-signals.js';

const CHANNEL = 'pgw_customer_events';
const RECONNECT_MS = 1000;

/** `pageId:seq`, the NOTIFY payload (page ids are digits). */
export function parseSignal(payload: string | undefined): FeedSignal | null {
  const match = /^(\d{1,64}):(\d{1,15})$/.exec(payload ?? '');
  return match ? { pageId: match[1], seq: Number(match[2]) } : null;
}

/**
 * Replicas on one PostgreSQL: each one NOTIFYs the pages it committed events for, right after
 * the commit (page id and highest cursor, coalesced per tick), and LISTENs on a connection of its
 * own. Followers then read the table, so a notification carries no event and losing one (a
 * replica dying between commit and NOTIFY) only delays delivery until the page's next one.
 */
export class PostgresFeedSignals
  extends FeedSignals
  implements OnModuleInit, OnApplicationShutdown
{
  private readonly logger = new Logger('FeedSignals');
  private readonly subject = new Subject<FeedSignal>();
  readonly signals = this.subject.asObservable();
  private readonly pending = new Map<string, number>();
  private flushScheduled = false;
  private listener: pg.Client | null = null;
  private published?: Subscription;
  private retry?: NodeJS.Timeout;
  private stopped = false;

  constructor(
    private readonly url: string,
    private readonly events: MirrorEvents,
    private readonly database: DatabaseService,
  ) {
    super();
  }

  onModuleInit(): void {
    this.published = this.events.stream.subscribe((event) => {
      // Followers on this replica need not wait for the round trip through the server.
      this.subject.next({ pageId: event.pageId, seq: event.seq });
      this.pending.set(event.pageId, Math.max(event.seq, this.pending.get(event.pageId) ?? 0));
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => void this.flush());
      }
    });
    void this.listen();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retry);
    this.published?.unsubscribe();
    this.subject.complete();
    const listener = this.listener;
    this.listener = null;
    await listener?.end().catch(() => undefined);
  }

  private async flush(): Promise<void> {
    this.flushScheduled = false;
    const pages = [...this.pending];
    this.pending.clear();
    try {
      const db = await this.database.db();
      for (const [pageId, seq] of pages)
        await sql`select pg_notify(${CHANNEL}, ${`${pageId}:${seq}`})`.execute(db);
    } catch (error) {
      // Other replicas see these events on the page's next notification.
      this.logger.warn({ msg: 'NOTIFY failed', detail: (error as Error).message });
    }
  }

  private async listen(): Promise<void> {
    if (this.stopped) return;
    const client = new pg.Client({ connectionString: this.url, connectionTimeoutMillis: 5000 });
    const lost = (): void => {
      if (this.listener !== client) return;
      this.listener = null;
      this.reconnect();
    };
    client.on('error', lost);
    client.on('end', lost);
    client.on('notification', (message) => {
      const signal = message.channel === CHANNEL ? parseSignal(message.payload) : null;
      if (signal) this.subject.next(signal);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANNEL}`);
    } catch (error) {
      this.logger.warn({ msg: 'LISTEN failed', detail: (error as Error).message });
      await client.end().catch(() => undefined);
      this.reconnect();
      return;
    }
    if (this.stopped) {
      await client.end().catch(() => undefined);
      return;
    }
    this.listener = client;
    // Whatever was notified while no connection listened: every follower reads again.
    this.subject.next({ pageId: null, seq: 0 });
  }

  private reconnect(): void {
    if (this.stopped) return;
    this.retry = setTimeout(() => void this.listen(), RECONNECT_MS);
    this.retry.unref();
  }
}
