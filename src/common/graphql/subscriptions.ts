import type { GraphQLWsSubscriptionsConfig, SubscriptionConfig } from '@nestjs/graphql';
import { parse, specifiedRules, validate, type GraphQLError } from 'graphql';
import type { ServerOptions } from 'graphql-ws';
import type { ApiKeyVerifier } from '../auth/api-key-verifier.js';
import { authenticate } from '../auth/authenticate.js';
import { formatGraphqlError } from './format-error.js';
import type { SubscriptionConnection } from './graphql-context.js';
import type { GraphqlLimits } from './graphql-limits.js';

/** The contract's close code for a missing or wrong key (graphql-ws's Unauthorized). */
const CLOSE_UNAUTHORIZED = 4401;

/** What a client sends as connection_init's payload: `{"authorization":"Bearer <key>"}`. */
function authorizationOf(
  params: Readonly<Record<string, unknown>> | undefined,
): string | undefined {
  const value = params?.authorization ?? params?.Authorization;
  return typeof value === 'string' ? value : undefined;
}

function formatErrors(errors: readonly GraphQLError[]): ReturnType<typeof formatGraphqlError>[] {
  return errors.map((error) => formatGraphqlError(error.toJSON(), error));
}

/**
 * graphql-ws on /graphql (Nest's Apollo driver attaches it to the Fastify server's upgrade
 * event): the key is checked once per socket, the HTTP operations' parse and validation limits
 * apply, and errors leave in the gateway's format.
 */
export function subscriptionOptions(
  verifier: ApiKeyVerifier,
  limits: GraphqlLimits,
): SubscriptionConfig {
  const options: ServerOptions<
    Record<string, unknown> | undefined,
    SubscriptionConnection['extra']
  > = {
    onConnect: (ctx) => {
      const authentication = authenticate(verifier, authorizationOf(ctx.connectionParams));
      if ('error' in authentication) {
        ctx.extra.socket.close(CLOSE_UNAUTHORIZED, 'Unauthorized');
        return false; // graphql-ws's own close (4403) finds the socket closing already
      }
      ctx.extra.caller = authentication.caller;
      return true;
    },
    parse: (source) => parse(source, limits.parseOptions),
    validate: (schema, document) =>
      validate(schema, document, [...specifiedRules, ...limits.validationRules]),
    onNext: (_ctx, _id, _payload, _args, result) =>
      result.errors ? { ...result, errors: formatErrors(result.errors) } : undefined,
    onError: (_ctx, _id, _payload, errors) => formatErrors(errors),
  };
  // Nest's type names a few of graphql-ws's options; it passes them all to useServer.
  return { 'graphql-ws': { path: '/graphql', ...options } as GraphQLWsSubscriptionsConfig };
}
