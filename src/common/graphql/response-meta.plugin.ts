import type { ApolloServerPlugin, GraphQLRequestContext } from '@apollo/server';
import { Logger } from '@nestjs/common';
import { Kind, type OperationDefinitionNode } from 'graphql';
import {
  currentRequestContext,
  staleAgeOf,
  type RequestContext,
} from '../context/request-context.js';
import { ErrorCode } from '../errors/error-code.js';
import type { GatewayMetrics } from '../../metrics/gateway-metrics.js';
import { formatGraphqlError } from './format-error.js';
import type { GraphqlContext } from './graphql-context.js';

/** What extensions.cache says about the reads behind one response. */
export interface CacheExtension {
  stale: boolean;
  /** Age of the oldest stale copy served, when stale. */
  ageSeconds?: number;
  outcomes: string[];
}

/**
 * Adds `extensions.cache` (stale copies are flagged to the caller) and `extensions.dataSource`
 * (MIRROR or UPSTREAM, when customers were read), records the operation's
 * duration by root field and outcome, and logs errors the gateway did not expect.
 */
export function responseMetaPlugin(
  metrics: GatewayMetrics,
  logger = new Logger('GraphQL'),
): ApolloServerPlugin<GraphqlContext> {
  return {
    async requestDidStart() {
      const startedAt = process.hrtime.bigint();
      return {
        async didResolveOperation(request) {
          const context = requestContextOf(request);
          if (context)
            context.operationName = request.operationName ?? operationLabel(request.operation);
        },
        async didEncounterErrors({ errors }) {
          for (const error of errors) {
            if (formatGraphqlError(error.toJSON(), error).extensions?.code !== ErrorCode.INTERNAL)
              continue;
            const cause = error.originalError ?? error;
            logger.error(`GraphQL operation failed unexpectedly: ${cause.message}`, cause.stack);
          }
        },
        async willSendResponse(request) {
          const body = request.response.body;
          const result = body.kind === 'single' ? body.singleResult : body.initialResult;
          const context = requestContextOf(request);
          const cache = cacheExtensionOf(context);
          if (cache) result.extensions = { ...result.extensions, cache };
          // Where the customer reads came from (the REST reads say it in X-Data-Source).
          if (context?.dataSource)
            result.extensions = { ...result.extensions, dataSource: context.dataSource };
          // Only an error-free query may be replayed by the whole-response cache.
          if (context) {
            context.replayable = request.operation?.operation === 'query' && !result.errors?.length;
          }
          const code = result.errors?.[0]?.extensions?.code;
          const seconds = Number(process.hrtime.bigint() - startedAt) / 1e9;
          metrics.graphqlDuration.observe(
            {
              operation: operationLabel(request.operation),
              outcome: typeof code === 'string' ? code : 'ok',
            },
            seconds,
          );
        },
      };
    },
  };
}

export function cacheExtensionOf(context: RequestContext | undefined): CacheExtension | undefined {
  // Only stale answers carry it (fresh ones say HIT/MISS in the X-Cache header), so a
  // replayed response never repeats an outdated outcome.
  const ageSeconds = context && staleAgeOf(context);
  if (ageSeconds === undefined || !context) return undefined;
  return { stale: true, ageSeconds, outcomes: context.reads.map((read) => read.outcome) };
}

/**
 * A bounded metric label: the operation type and its root field (names the schema defines, unlike
 * the client's free-text operationName), `multiple` for several, `invalid` when none resolved.
 */
export function operationLabel(operation: OperationDefinitionNode | undefined): string {
  if (!operation) return 'invalid';
  const names = new Set<string>();
  for (const selection of operation.selectionSet.selections) {
    if (selection.kind !== Kind.FIELD) names.add('multiple');
    else if (selection.name.value !== '__typename')
      names.add(selection.name.value.startsWith('__') ? 'introspection' : selection.name.value);
  }
  const [only = '__typename'] = names;
  return `${operation.operation} ${names.size > 1 ? 'multiple' : only}`;
}

function requestContextOf(
  request: GraphQLRequestContext<GraphqlContext>,
): RequestContext | undefined {
  return request.contextValue?.req?.gatewayContext ?? currentRequestContext();
}
