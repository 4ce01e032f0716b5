import { ErrorCode } from '../errors/error-code.js';
import { GatewayError } from '../errors/gateway-error.js';
import { ApiKeyVerifier, bearerKey } from './api-key-verifier.js';
import { callerOf, type Authentication } from './caller.js';

/**
 * The caller of a request's `Authorization: Bearer <key>`, or the UNAUTHENTICATED error to
 * throw where a key is required. Never throws: public routes are authenticated too, and ignore it.
 */
export function authenticate(
  verifier: ApiKeyVerifier,
  authorization: string | string[] | undefined,
): Authentication {
  const key = bearerKey(authorization);
  if (!key) {
    return {
      error: new GatewayError(
        ErrorCode.UNAUTHENTICATED,
        'Missing API key: send Authorization: Bearer <key>',
      ),
    };
  }
  const grant = verifier.verify(key);
  if (!grant) return { error: new GatewayError(ErrorCode.UNAUTHENTICATED, 'Invalid API key') };
  return { caller: callerOf(grant) };
}

/** The caller, or the refusal thrown. */
export function callerOrThrow(authentication: Authentication): ReturnType<typeof callerOf> {
  if ('error' in authentication) throw authentication.error;
  return authentication.caller;
}
