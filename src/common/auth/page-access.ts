import { ErrorCode } from '../errors/error-code.js';
import { GatewayError } from '../errors/gateway-error.js';
import type { Caller } from './caller.js';

export type Access = 'read' | 'write';

/** Why this caller may not touch this page with this access, or null when it may. */
export function accessRefusal(caller: Caller, pageId: string, access: Access): GatewayError | null {
  if (caller.pages && !caller.pages.has(pageId)) {
    return new GatewayError(
      ErrorCode.FORBIDDEN,
      `API key '${caller.keyName}' may not access page ${pageId}`,
    );
  }
  if (access === 'write' && caller.scope === 'read') {
    return new GatewayError(ErrorCode.FORBIDDEN, `API key '${caller.keyName}' is read-only`);
  }
  return null;
}

/**
 * May this caller touch this page? The one place page access is decided (services and the
 * response replay ask it). 403 before 404, so a restricted key cannot probe which pages the
 * gateway serves.
 */
export function assertPageAccess(
  caller: Caller,
  pageId: string,
  access: Access,
  pageConfigured: boolean,
): void {
  const refusal = accessRefusal(caller, pageId, access);
  if (refusal) throw refusal;
  if (!pageConfigured)
    throw GatewayError.notFound(`Page ${pageId} is not configured on this gateway`);
}
