// The Redis key layout of the read cache, in one place so operators and tests agree on it.
import { fingerprintOf } from '../common/fingerprint.js';
import { DEFAULT_KEY_PREFIX, pageKey } from '../infra/redis/redis-keys.js';

export const DEFAULT_CACHE_KEY_PREFIX = DEFAULT_KEY_PREFIX;
const READ_FAMILY = 'read';

/** sha256 of the canonical JSON of the query parts: keys never hold tokens, URLs or raw input. */
export function readFingerprint(parts: Record<string, unknown>): string {
  return fingerprintOf(parts);
}

/** One cached read: `pgw:read:{pageId}:g{generation}:{sha256}`. */
export function entryKey(
  prefix: string,
  pageId: string,
  generation: number,
  fingerprint: string,
): string {
  return pageKey(prefix, READ_FAMILY, pageId, `g${generation}:${fingerprint}`);
}

/** The page's generation counter (INCR on every mutation): `pgw:read:{pageId}:gen`. */
export function generationKey(prefix: string, pageId: string): string {
  return pageKey(prefix, READ_FAMILY, pageId, 'gen');
}

/** The short-lived "a replica is loading this entry" marker (SET NX PX). */
export function loadingKey(entry: string): string {
  return `${entry}:loading`;
}

/** Every key of the read cache (entries, generations, markers), for SCAN. */
export function readCachePattern(prefix: string): string {
  return `${prefix.replace(/[*?[\]\\]/g, '\\$&')}${READ_FAMILY}:*`;
}
