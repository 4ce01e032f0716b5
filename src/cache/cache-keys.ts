// The Redis key layout of the read cache, in one place so operators and tests agree on it.
// `{pageId}` is a hash tag: every key of one page lands in one cluster slot.
import { fingerprintOf } from '../customers/stores/fingerprint.js';

export const DEFAULT_CACHE_KEY_PREFIX = 'pgw:';

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
  return `${pagePrefix(prefix, pageId)}:g${generation}:${fingerprint}`;
}

/** The page's generation counter (INCR on every mutation): `pgw:read:{pageId}:gen`. */
export function generationKey(prefix: string, pageId: string): string {
  return `${pagePrefix(prefix, pageId)}:gen`;
}

/** The short-lived "a replica is loading this entry" marker (SET NX PX). */
export function loadingKey(entry: string): string {
  return `${entry}:loading`;
}

// Encoded so a ':' or '}' in an id can never forge another page's key.
function pagePrefix(prefix: string, pageId: string): string {
  return `${prefix}read:{${encodeURIComponent(pageId)}}`;
}
