import type { StoreErrorReporter } from './store-failures.js';

/** Injection token for the IdempotencyStore chosen at boot (Redis when REDIS_URL is set). */
export const IDEMPOTENCY_STORE = Symbol('IDEMPOTENCY_STORE');

/**
 * The answer to begin(): `started` (do the work, then complete or abandon), `replay` (same
 * key and fingerprint completed before: answer with result), `in-progress` (still running:
 * 409 CONFLICT), `mismatch` (the key was used with another request: 422 IDEMPOTENCY_KEY_REUSED).
 */
export type IdempotencyBegin<T> =
  | { state: 'started' }
  | { state: 'replay'; result: T }
  | { state: 'in-progress' }
  | { state: 'mismatch' };

/**
 * Remembers the outcome of a request per (scope, key), e.g. scope `createNote:<apiKey>:<pageId>`.
 * Every method rejects with GatewayError BAD_USER_INPUT (field `idempotencyKey`) for a key
 * that is empty, longer than 255 characters or holds control characters.
 */
export interface IdempotencyStore<T> {
  /** Atomic: of concurrent begins with one key, exactly one gets `started`. */
  begin(scope: string, key: string, fingerprint: string): Promise<IdempotencyBegin<T>>;
  /** Keeps result for the replay TTL; ignored when the key now belongs to another fingerprint. */
  complete(scope: string, key: string, fingerprint: string, result: T): Promise<void>;
  /** The work failed: drop the in-progress marker so the client may retry with the same key. */
  abandon(scope: string, key: string, fingerprint: string): Promise<void>;
}

export interface IdempotencyStoreOptions {
  /** Redis key prefix (default `pgw:`). */
  keyPrefix?: string;
  /** How long a completed result replays (default 86,400 s; raised to 24 h when lower). */
  ttlSeconds?: number;
  /** How long an unfinished request holds its key (default 300 s), so a crashed replica cannot block it. */
  pendingTtlSeconds?: number;
  /** In-process bound (default 10,000 keys; expired, then oldest, go first). */
  maxEntries?: number;
  /** Told about swallowed Redis failures of complete/abandon (default: a warning log line). */
  onError?: StoreErrorReporter;
  /** In-process clock in ms (tests). */
  now?: () => number;
}
