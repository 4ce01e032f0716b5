import { ErrorCode } from '../errors/error-code.js';
import { GatewayError } from '../errors/gateway-error.js';
import type { Caller } from './caller.js';

export type Access = 'read' | 'write';

/**
 * May this caller touch this page? 403 before 404, so a restricted key cannot probe
 * which pages the gateway serves.
 */
export function assertPageAccess(
  caller: Caller,
  pageId: string,
  access: Access,
  pageConfigured: boolean,
): void {
  if (caller.pages && !caller.pages.has(pageId)) {
    throw new GatewayError(
      ErrorCode.FORBIDDEN,
      `API key '${caller.keyName}' may not access page ${pageId}`,
    );
  }
  if (access === 'write' && caller.scope === 'read') {
    throw new GatewayError(ErrorCode.FORBIDDEN, `API key '${caller.keyName}' is read-only`);
  }
  if (!pageConfigured)
    throw GatewayError.notFound(`Page ${pageId} is not configured on this gateway`);
}
