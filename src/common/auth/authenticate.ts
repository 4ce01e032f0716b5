import type { ApiKeyGrant } from '../../config/api-keys.js';
import { ErrorCode } from '../errors/error-code.js';
import { GatewayError } from '../errors/gateway-error.js';
import { ApiKeyVerifier, bearerKey } from './api-key-verifier.js';

/** The grant for a request's `Authorization: Bearer <key>`, or UNAUTHENTICATED. */
export function authenticate(
  verifier: ApiKeyVerifier,
  authorization: string | string[] | undefined,
): ApiKeyGrant {
  const key = bearerKey(authorization);
  if (!key) {
    throw new GatewayError(
      ErrorCode.UNAUTHENTICATED,
      'Missing API key: send Authorization: Bearer <key>',
    );
  }
  const grant = verifier.verify(key);
  if (!grant) throw new GatewayError(ErrorCode.UNAUTHENTICATED, 'Invalid API key');
  return grant;
}
