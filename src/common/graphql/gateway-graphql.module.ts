import { join } from 'node:path';
import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { Module } from '@nestjs/common';
import { GraphQLModule } from '@nestjs/graphql';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { GatewayConfig } from '../../config/gateway-config.js';
import { GatewayMetrics } from '../../metrics/gateway-metrics.js';
import { ApiKeyVerifier } from '../auth/api-key-verifier.js';
import { DateTimeScalar } from '../scalars/date-time.scalar.js';
import { formatGraphqlError } from './format-error.js';
import { graphqlContextFactory } from './graphql-context.js';
import { graphqlIdeLandingPage } from './graphql-ide.js';
import { graphqlLimits } from './graphql-limits.js';
import { responseMetaPlugin } from './response-meta.plugin.js';
import { subscriptionOptions } from './subscriptions.js';

/**
 * Where the generated SDL goes: the committed schema.gql while developing; in memory elsewhere
 * (the production image's /app is read-only to its user, and parallel e2e boots would race).
 */
export function schemaFileFor(config: GatewayConfig): string | true {
  return config.nodeEnv === 'development' ? join(process.cwd(), 'schema.gql') : true;
}

function apolloOptions(
  config: GatewayConfig,
  metrics: GatewayMetrics,
  verifier: ApiKeyVerifier,
): Omit<ApolloDriverConfig, 'driver'> {
  const limits = graphqlLimits(config);
  return {
    path: '/graphql',
    autoSchemaFile: schemaFileFor(config),
    sortSchema: true,
    // One DateTime scalar: ours, never Nest's built-in GraphQLISODateTime of the same name.
    buildSchemaOptions: {
      scalarsMap: [{ type: Date, scalar: DateTimeScalar }],
      addNewlineAtEnd: true,
    },
    context: graphqlContextFactory(verifier),
    introspection: config.graphql.introspection,
    // Nest's GraphiQL and Apollo's Sandbox both load from a CDN: the IDE is Altair, served from
    // its package at /graphiql (graphql-ide.ts).
    graphiql: false,
    csrfPrevention: true,
    allowBatchedHttpRequests: false,
    includeStacktraceInErrorResponses: config.nodeEnv === 'development',
    parseOptions: limits.parseOptions,
    validationRules: limits.validationRules,
    formatError: formatGraphqlError,
    subscriptions: subscriptionOptions(verifier, limits),
    plugins: [
      // Apollo's default cache-control plugin wraps every field resolver; no cache hints are used.
      ApolloServerPluginCacheControlDisabled(),
      ...limits.plugins,
      responseMetaPlugin(metrics),
      config.graphql.landingPage
        ? graphqlIdeLandingPage()
        : ApolloServerPluginLandingPageDisabled(),
    ],
  };
}

/** Apollo Server (code-first) with the gateway's plugins, limits and error format. */
@Module({
  imports: [
    GraphQLModule.forRootAsync<ApolloDriverConfig>({
      driver: ApolloDriver,
      inject: [GatewayConfig, GatewayMetrics, ApiKeyVerifier],
      useFactory: apolloOptions,
    }),
  ],
})
export class GatewayGraphqlModule {}
