import { fromTaggedJson, toTaggedJson } from '../infra/redis/tagged-json.js';

/**
 * What the store holds for one read: the value and when it was loaded. One entry serves both
 * as the fresh copy (age < TTL) and as the last good copy for stale fallback (age <= stale TTL).
 */
export interface CacheEntry {
  value: unknown;
  /** Epoch ms (the cache's clock) when the value came from upstream. */
  storedAt: number;
}

export function entryAgeMs(entry: CacheEntry, nowMs: number): number {
  return Math.max(0, nowMs - entry.storedAt);
}

export function ageSeconds(entry: CacheEntry, nowMs: number): number {
  return Math.floor(entryAgeMs(entry, nowMs) / 1000);
}

/** Anything else found under a cache key (an older layout, a manual write) is a miss. */
export function isCacheEntry(value: unknown): value is CacheEntry {
  return (
    value !== null &&
    typeof value === 'object' &&
    'value' in value &&
    typeof (value as { storedAt?: unknown }).storedAt === 'number'
  );
}

/**
 * Keyv's (de)serializer for Redis: tagged JSON, so Date fields (customer and note records
 * carry several) come back as Dates without the caller passing a per-type reviver.
 */
export const redisEntryCodec = {
  serialize: (data: unknown): string => toTaggedJson(data),
  deserialize: <T>(text: string): T | undefined => fromTaggedJson<T>(text),
};
