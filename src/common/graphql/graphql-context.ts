import type { FastifyRequest } from 'fastify';
import { GraphQLError } from 'graphql';
import type { RequestWithCaller } from '../auth/api-key.guard.js';
import type { ApiKeyVerifier } from '../auth/api-key-verifier.js';
import type { Caller } from '../auth/caller.js';
import { authenticationOf } from '../auth/request-authentication.js';

/** What a subscription resolver may do to its WebSocket: close it with a contract close code. */
export interface SubscriptionSocket {
  close(code: number, reason: string): void;
}

/** graphql-ws's per-socket context, with the caller its onConnect authenticated. */
export interface SubscriptionConnection {
  connectionInitReceived: boolean;
  extra: { socket: SubscriptionSocket; caller?: Caller };
}

/** Apollo's per-request context: the Fastify request, which the ApiKeyGuard reads and marks. */
export interface GraphqlContext {
  req: FastifyRequest & RequestWithCaller;
  /** Subscriptions only: the operation's WebSocket. */
  socket?: SubscriptionSocket;
}

function isSubscriptionConnection(value: unknown): value is SubscriptionConnection {
  return typeof value === 'object' && value !== null && 'connectionInitReceived' in value;
}

/**
 * Apollo's fastify integration calls the context function with (request, reply). Every
 * operation needs a key, even one no resolver guards (`{ __typename }`, introspection), so
 * the request's authentication is read here, before execution. graphql-ws calls it with the
 * socket's context, authenticated once at connection_init (subscriptions.ts): the guard and
 * @CurrentCaller find that caller on a request-like `req`.
 */
export function graphqlContextFactory(
  verifier: ApiKeyVerifier,
): (request: FastifyRequest | SubscriptionConnection) => GraphqlContext {
  return (request) => {
    if (isSubscriptionConnection(request)) {
      const { socket, caller } = request.extra;
      const req = { headers: {}, caller } as unknown as GraphqlContext['req'];
      return { req, socket };
    }
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
