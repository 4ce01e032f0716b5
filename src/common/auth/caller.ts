import type { ApiKeyGrant, KeyScope } from '../../config/api-keys.js';
import type { GatewayError } from '../errors/gateway-error.js';

/** The authenticated client of one request. */
export interface Caller {
  keyName: string;
  /** null: every configured page. */
  pages: ReadonlySet<string> | null;
  scope: KeyScope;
}

/** The one authentication of a request: its caller, or why its key was refused. */
export type Authentication = { caller: Caller } | { error: GatewayError };

export function callerOf(grant: ApiKeyGrant): Caller {
  return { keyName: grant.name, pages: grant.pages, scope: grant.scope };
}
