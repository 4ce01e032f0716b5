import { createHash, timingSafeEqual } from 'node:crypto';
import type { ApiKeyGrant } from '../../config/api-keys.js';

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/**
 * Finds the grant for a presented key in constant time: both sides are hashed to equal-length
 * digests (timingSafeEqual throws on unequal lengths), and every key is compared, match or not.
 */
export class ApiKeyVerifier {
  private readonly entries: { grant: ApiKeyGrant; digest: Buffer }[];

  constructor(grants: readonly ApiKeyGrant[]) {
    this.entries = grants.map((grant) => ({ grant, digest: digest(grant.key) }));
  }

  verify(presented: string): ApiKeyGrant | null {
    const candidate = digest(presented);
    let found: ApiKeyGrant | null = null;
    for (const entry of this.entries) {
      if (timingSafeEqual(candidate, entry.digest)) found = entry.grant;
    }
    return found;
  }
}

/** The key from `Authorization: Bearer <key>`, or null. */
export function bearerKey(header: string | string[] | undefined): string | null {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return null;
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(value);
  return match ? match[1] : null;
}
