import { createHash } from 'node:crypto';
import type { ReadRecord } from '../context/request-context.js';

/** 27 base64url characters: 162 bits of the SHA-256, plenty to tell two bodies apart. */
const ETAG_HASH_CHARS = 27;

export const NO_STORE = 'no-store';

/**
 * A weak ETag of the body: weak because the same JSON may go out in another coding
 * (RFC 9110 8.8.1), and because it names the representation, not the byte sequence on the wire.
 */
export function etagOf(body: Buffer | string): string {
  const digest = createHash('sha256').update(body).digest('base64url');
  return `W/"${digest.slice(0, ETAG_HASH_CHARS)}"`;
}

// Mirror answers carry syncedAt, which moves with every poll although the data does not.
const SYNCED_AT = Buffer.from('"syncedAt":');

/**
 * The ETag of a mirror answer: its bytes without syncedAt's values, so a poll that changed
 * nothing keeps it. The bytes are hashed around each value in place (no decoding, no copy).
 */
export function mirrorEtagOf(body: Buffer): string {
  const hash = createHash('sha256');
  let from = 0;
  for (let at = body.indexOf(SYNCED_AT); at !== -1; at = body.indexOf(SYNCED_AT, from)) {
    hash.update(body.subarray(from, at));
    from = endOfValue(body, at + SYNCED_AT.length);
  }
  hash.update(body.subarray(from));
  return `W/"${hash.digest('base64url').slice(0, ETAG_HASH_CHARS)}"`;
}

/** Where a syncedAt value (null or an ISO string, never with a quote inside) ends. */
function endOfValue(body: Buffer, start: number): number {
  if (body[start] !== 0x22) return start + 'null'.length;
  const close = body.indexOf(0x22, start + 1);
  return close === -1 ? body.length : close + 1;
}

/** Weak comparison of If-None-Match (a list, or `*`) against the current ETag (RFC 9110 13.1.2). */
export function ifNoneMatchMatches(header: string | string[] | undefined, etag: string): boolean {
  if (header === undefined) return false;
  const value = Array.isArray(header) ? header.join(',') : header;
  if (value.trim() === '*') return true;
  const opaque = withoutWeakPrefix(etag);
  return value.split(',').some((candidate) => withoutWeakPrefix(candidate.trim()) === opaque);
}

function withoutWeakPrefix(tag: string): string {
  return tag.startsWith('W/') ? tag.slice(2) : tag;
}

/** What an answer is, for its Cache-Control. */
export interface AnswerFacts {
  /** A read answered in full: a REST GET/HEAD read or an error-free GraphQL query. */
  read: boolean;
  statusCode: number;
  /** The reads behind it, as the read cache recorded them. */
  reads: readonly ReadRecord[];
}

/**
 * Cache-Control of an answer. A read from the read cache may be kept for what is left of its
 * TTL (the least fresh read counts); a stale copy served because upstream failed must be
 * revalidated at once (`max-age=0`; Age says how old it is); a read the gateway did not keep (the
 * shared cache bypassed, or no cached read behind it) must be revalidated each time. Always
 * private: answers depend on the API key. Writes, errors and 401s are never stored.
 */
export function cacheControlOf({ read, statusCode, reads }: AnswerFacts): string {
  if (!read || (statusCode !== 200 && statusCode !== 304)) return NO_STORE;
  if (reads.some((r) => r.outcome === 'stale')) return 'private, max-age=0';
  const kept =
    reads.length > 0 && reads.every((r) => r.generation !== null && r.outcome !== 'bypass');
  if (!kept) return 'private, no-cache';
  return maxAgeOf(Math.min(...reads.map((r) => r.freshForMs)));
}

/** `private, max-age=<whole seconds left>` for a copy fresh for freshForMs more. */
export function maxAgeOf(freshForMs: number): string {
  return `private, max-age=${Math.max(0, Math.floor(freshForMs / 1000))}`;
}
