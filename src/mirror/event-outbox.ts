import { Injectable } from '@nestjs/common';
import type { Transaction } from 'kysely';
import type { DatabaseTables } from '../infra/database/database-tables.js';
import type { StoredEvent } from './stored-event.js';

/** Writes what must commit with the events (a delivery outbox), inside their transaction. */
export type OutboxWriter = (
  trx: Transaction<DatabaseTables>,
  pageId: string,
  events: readonly StoredEvent[],
) => Promise<void>;

/**
 * Where features that act on events (webhooks) register a writer, so the mirror records
 * their outbox rows atomically with the events without knowing who they are.
 */
@Injectable()
export class EventOutbox {
  private readonly writers: OutboxWriter[] = [];

  register(writer: OutboxWriter): void {
    this.writers.push(writer);
  }

  async write(
    trx: Transaction<DatabaseTables>,
    pageId: string,
    events: readonly StoredEvent[],
  ): Promise<void> {
    if (events.length === 0) return;
    for (const writer of this.writers) await writer(trx, pageId, events);
  }
}
