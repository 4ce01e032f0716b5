import type { FastifyRequest } from 'fastify';
import { GraphQLError } from 'graphql';
import type { RequestWithCaller } from '../auth/api-key.guard.js';
import type { ApiKeyVerifier } from '../auth/api-key-verifier.js';
import { authenticate } from '../auth/authenticate.js';
import { callerOf } from '../auth/caller.js';
import { currentRequestContext } from '../context/request-context.js';
import { ErrorCode } from '../errors/error-code.js';
import { GatewayError } from '../errors/gateway-error.js';

/** Apollo's per-request context: the Fastify request, which the ApiKeyGuard reads and marks. */
export interface GraphqlContext {
  req: FastifyRequest & RequestWithCaller;
}

/**
 * Apollo's fastify integration calls the context function with (request, reply). Every
 * operation needs a key, even one no resolver guards (`{ __typename }`, introspection), so
 * the key is checked here, before execution; the ApiKeyGuard then finds req.caller set.
 */
export function graphqlContextFactory(
  verifier: ApiKeyVerifier,
): (request: FastifyRequest) => GraphqlContext {
  return (request) => {
    const req = request as GraphqlContext['req'];
    if (!req.caller) {
      try {
        const grant = authenticate(verifier, req.headers.authorization);
        req.caller = callerOf(grant);
        const context = currentRequestContext();
        if (context) context.keyName = grant.name;
      } catch (error) {
        const cause =
          error instanceof GatewayError
            ? error
            : new GatewayError(ErrorCode.UNAUTHENTICATED, 'Invalid API key');
        // Thrown from the context function, Apollo answers with this status; formatError finds the cause.
        throw new GraphQLError(cause.message, {
          originalError: cause,
          extensions: { code: cause.code, http: { status: 401 } },
        });
      }
    }
    return { req };
  };
}
