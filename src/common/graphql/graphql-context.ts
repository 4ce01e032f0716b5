import type { FastifyRequest } from 'fastify';
import { GraphQLError } from 'graphql';
import type { RequestWithCaller } from '../auth/api-key.guard.js';
import type { ApiKeyVerifier } from '../auth/api-key-verifier.js';
import { authenticationOf } from '../auth/request-authentication.js';

/** Apollo's per-request context: the Fastify request, which the ApiKeyGuard reads and marks. */
export interface GraphqlContext {
  req: FastifyRequest & RequestWithCaller;
}

/**
 * Apollo's fastify integration calls the context function with (request, reply). Every
 * operation needs a key, even one no resolver guards (`{ __typename }`, introspection), so
 * the request's authentication is read here, before execution.
 */
export function graphqlContextFactory(
  verifier: ApiKeyVerifier,
): (request: FastifyRequest) => GraphqlContext {
  return (request) => {
    const req = request as GraphqlContext['req'];
    const authentication = authenticationOf(req, verifier);
    if ('error' in authentication) {
      const cause = authentication.error;
      // Thrown from the context function, Apollo answers with this status; formatError finds the cause.
      throw new GraphQLError(cause.message, {
        originalError: cause,
        extensions: { code: cause.code, http: { status: 401 } },
      });
    }
    req.caller = authentication.caller;
    return { req };
  };
}
