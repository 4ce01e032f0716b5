import type { ApiKeyGrant, KeyScope } from '../../config/api-keys.js';

/** The authenticated client of one request. */
export interface Caller {
  keyName: string;
  /** null: every configured page. */
  pages: ReadonlySet<string> | null;
  scope: KeyScope;
}

export function callerOf(grant: ApiKeyGrant): Caller {
  return { keyName: grant.name, pages: grant.pages, scope: grant.scope };
}
