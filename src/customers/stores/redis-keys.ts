// The Redis key layout of the customer stores, in one place so operators and tests agree on it.
import { pageKey } from '../../infra/redis/redis-keys.js';

/** One indexed customer: `pgw:idx:{pageId}:id`. */
export function indexKey(prefix: string, pageId: string, customerId: string): string {
  return pageKey(prefix, 'idx', pageId, customerId);
}

/** The read-merge-write lock of one customer: `pgw:lock:{pageId}:id`. */
export function lockKey(prefix: string, pageId: string, customerId: string): string {
  return pageKey(prefix, 'lock', pageId, customerId);
}

/** One idempotency record; both parts are URI-encoded so a ':' in the scope cannot collide. */
export function idempotencyKey(prefix: string, scope: string, key: string): string {
  return `${prefix}idem:${encodeURIComponent(scope)}:${encodeURIComponent(key)}`;
}

/** The fence of a customer whose last write's outcome is unknown: `pgw:fence:{pageId}:id`. */
export function fenceKey(prefix: string, pageId: string, customerId: string): string {
  return pageKey(prefix, 'fence', pageId, customerId);
}

/** In-doubt writes and acknowledged changes of one customer: `pgw:journal:{pageId}:id`. */
export function journalKey(prefix: string, pageId: string, customerId: string): string {
  return pageKey(prefix, 'journal', pageId, customerId);
}
