import type { MemoryBudget } from '../../cache/memory-budget.js';
import type { CustomerRecord } from '../../pancake/pancake.model.js';
import type { StoreErrorReporter } from './store-failures.js';

/** Injection token for the CustomerIndex chosen at boot (Redis when REDIS_URL is set). */
export const CUSTOMER_INDEX = Symbol('CUSTOMER_INDEX');

/** What the gateway last saw of one customer. */
export interface IndexedCustomer {
  pageId: string;
  psid: string;
  insertedAt: Date | null;
  updatedAt: Date | null;
  snapshot: CustomerRecord;
  /** When this replica (or any, on Redis) last remembered the customer. */
  seenAt: Date;
}

export interface StoreHealth {
  /** 'redis' or 'in-process'. */
  backend: 'redis' | 'in-process';
  /** false while Redis is unavailable (RedisAvailability). */
  healthy: boolean;
  detail?: string;
}

/**
 * Every customer the gateway has seen, by id: Pancake has no get-by-id, so a single
 * customer is found through the last list that contained it.
 */
export interface CustomerIndex {
  /**
   * Best effort: never rejects; a Redis failure is reported and the next list refills the index.
   * The in-process index deep-freezes the records and shares them: treat them as read-only.
   */
  remember(records: readonly CustomerRecord[]): Promise<void>;
  /**
   * null when unknown or indexed under another page; the entry is read-only (frozen in-process).
   * While Redis fails, answers from this replica's own copy (what it listed or looked up);
   * rejects with GatewayError SERVICE_UNAVAILABLE only when that copy does not know the id
   * either: "unknown" would wrongly become a 404.
   */
  lookup(pageId: string, id: string): Promise<IndexedCustomer | null>;
  /** Best effort, like remember(); only removes an entry of that page. */
  forget(pageId: string, id: string): Promise<void>;
  health(): StoreHealth;
}

export const DEFAULT_INDEX_MAX_ENTRIES = 200_000;
export const DEFAULT_INDEX_TTL_SECONDS = 30 * 86_400;

export interface CustomerIndexOptions {
  /** Redis key prefix (default `pgw:`). */
  keyPrefix?: string;
  /** Lifetime of an entry (default 30 days), refreshed whenever the customer is seen again. */
  ttlSeconds?: number;
  /** In-process bound (default 200,000 entries, least recently used go first). */
  maxEntries?: number;
  /** The byte budget in-process entries count against, as kind "index" (default: their own). */
  budget?: MemoryBudget;
  /** Told about swallowed Redis failures (default: a warning log line). */
  onError?: StoreErrorReporter;
  /** Clock for seenAt (tests). */
  now?: () => number;
}
