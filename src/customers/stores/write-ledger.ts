import type { CustomerChanges } from '../../pancake/pancake.model.js';
import type { StoreErrorReporter } from './store-failures.js';

/** Injection token for the WriteLedger chosen at boot (Redis when REDIS_URL is set). */
export const WRITE_LEDGER = Symbol('WRITE_LEDGER');

export type WriteKind = 'update' | 'note_create' | 'note_update' | 'note_delete';

/**
 * An upstream write that got no answer: Pancake may still apply it until `landsBy`. What it
 * carried is kept so a later read can recognize its effect.
 */
export interface InDoubtWrite {
  /** Random; tells fences of two writes to the same customer apart. */
  id: string;
  pageId: string;
  customerId: string;
  kind: WriteKind;
  /** Epoch ms when the write was sent. */
  sentAt: number;
  /** Epoch ms until which it may still land: the customer's fence. */
  landsBy: number;
  /** update: the fields the PUT carried. */
  changes?: CustomerChanges;
  /** note_create / note_update: the message sent. */
  message?: string;
  /** note_update / note_delete: the note. */
  noteId?: string;
  /** note_create: every note id the customer had before the POST. */
  knownNoteIds?: string[];
  /** updated_at (epoch ms) of the customer, or of the note, as last read before the write. */
  baselineUpdatedAt: number | null;
}

/** A change the gateway answered as done, kept for a while to repair it if a late write undoes it. */
export type Acknowledgement =
  | { kind: 'phones-added'; numbers: string[]; at: number }
  | { kind: 'phones-set'; numbers: string[]; at: number }
  | { kind: 'note'; noteId: string; message: string; at: number };

/**
 * Per customer: the fence of a write whose outcome is unknown (no gateway write on any replica
 * until it lifts), the in-doubt writes of the journal window, and the acknowledged changes of
 * that window. Fences and reads fail closed (a write refused beats a write lost); recording an
 * acknowledgement is best effort.
 */
export interface WriteLedger {
  /** Fences the customer until doubt.landsBy and journals the write. */
  fence(doubt: InDoubtWrite): Promise<void>;
  /** The live fence of the customer, or null. Rejects SERVICE_UNAVAILABLE when unknown. */
  fenceOf(pageId: string, customerId: string): Promise<InDoubtWrite | null>;
  /** Lifts the fence of this write (its effect was seen, or it can no longer land). */
  lift(doubt: InDoubtWrite): Promise<void>;
  /** In-doubt writes of the customer within the journal window, oldest first. */
  doubts(pageId: string, customerId: string): Promise<InDoubtWrite[]>;
  /** Best effort: never rejects. */
  acknowledge(pageId: string, customerId: string, ack: Acknowledgement): Promise<void>;
  /** Acknowledged changes of the customer within the journal window, oldest first. */
  acknowledgements(pageId: string, customerId: string): Promise<Acknowledgement[]>;
}

export interface WriteLedgerOptions {
  /** Redis key prefix (default `pgw:`). */
  keyPrefix?: string;
  /** How long in-doubt writes and acknowledgements are kept (ms). */
  journalMs: number;
  /** In-process bound on customers with entries (default 10,000; oldest go first). */
  maxCustomers?: number;
  /** Told about swallowed failures (default: a warning log line). */
  onError?: StoreErrorReporter;
  now?: () => number;
}

/** Entries kept per customer at most: a journal, not a history. */
export const MAX_JOURNAL_ENTRIES = 100;
