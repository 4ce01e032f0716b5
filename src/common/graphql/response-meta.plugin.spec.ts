import { ApolloServer } from '@apollo/server';
import { Logger } from '@nestjs/common';
import { parse, type OperationDefinitionNode } from 'graphql';
import { GatewayMetrics } from '../../metrics/gateway-metrics.js';
import {
  newRequestContext,
  type ReadOutcome,
  type ReadRecord,
  type RequestContext,
} from '../context/request-context.js';
import { GatewayError } from '../errors/gateway-error.js';
import { formatGraphqlError } from './format-error.js';
import type { GraphqlContext } from './graphql-context.js';
import { cacheExtensionOf, operationLabel, responseMetaPlugin } from './response-meta.plugin.js';

function operationOf(source: string): OperationDefinitionNode {
  return parse(source).definitions[0] as OperationDefinitionNode;
}

describe('operationLabel', () => {
  it('names the operation by type and schema root field, never by client text', () => {
    expect(operationLabel(operationOf('query AnyNameAtAll { customers { total } }'))).toBe(
      'query customers',
    );
    expect(
      operationLabel(operationOf('{ a: customer { id } b: customer { id } __typename }')),
    ).toBe('query customer');
    expect(operationLabel(operationOf('{ customer { id } customers { total } }'))).toBe(
      'query multiple',
    );
    expect(operationLabel(operationOf('mutation { createNote { id } }'))).toBe(
      'mutation createNote',
    );
    expect(operationLabel(operationOf('{ __schema { types { name } } }'))).toBe(
      'query introspection',
    );
    expect(operationLabel(operationOf('{ __typename }'))).toBe('query __typename');
    expect(operationLabel(undefined)).toBe('invalid');
  });
});

describe('cacheExtensionOf', () => {
  const context = (patch: Partial<RequestContext>): RequestContext => ({
    ...newRequestContext('r1'),
    ...patch,
  });

  it('says nothing when no read went through the cache', () => {
    expect(cacheExtensionOf(undefined)).toBeUndefined();
    expect(cacheExtensionOf(context({}))).toBeUndefined();
  });

  const read = (outcome: ReadOutcome, staleAgeSeconds?: number): ReadRecord => ({
    pageId: '111',
    outcome,
    generation: 0,
    freshForMs: 0,
    staleAgeSeconds,
  });

  it('says nothing for fresh answers and flags a stale copy with its age', () => {
    expect(cacheExtensionOf(context({ reads: [read('hit'), read('miss')] }))).toBeUndefined();
    expect(cacheExtensionOf(context({ reads: [read('stale', 42)] }))).toEqual({
      stale: true,
      ageSeconds: 42,
      outcomes: ['stale'],
    });
  });
});

describe('responseMetaPlugin', () => {
  const metrics = new GatewayMetrics({ defaultMetrics: false });
  const logged: string[] = [];
  const logger = { error: (message: string) => logged.push(message) } as unknown as Logger;
  const server = new ApolloServer<GraphqlContext>({
    typeDefs: 'type Query { stale: Int, fails: Int, refused: Int }',
    resolvers: {
      Query: {
        stale: (_parent: unknown, _args: unknown, { req }: GraphqlContext) => {
          req.gatewayContext!.reads.push({
            pageId: '111',
            outcome: 'stale',
            generation: 0,
            freshForMs: 0,
            staleAgeSeconds: 12,
          });
          return 1;
        },
        fails: () => {
          throw new Error('disk on fire');
        },
        refused: () => {
          throw GatewayError.notFound('nope');
        },
      },
    },
    formatError: formatGraphqlError,
    plugins: [responseMetaPlugin(metrics, logger)],
  });
  beforeAll(() => server.start());
  afterAll(() => server.stop());

  async function run(query: string, context = newRequestContext('r1')) {
    const contextValue = {
      req: { headers: {}, gatewayContext: context },
    } as unknown as GraphqlContext;
    const response = await server.executeOperation({ query }, { contextValue });
    if (response.body.kind !== 'single') throw new Error('expected a single result');
    return { result: response.body.singleResult, context };
  }

  it('adds extensions.cache when a read was served stale, and names the operation in the context', async () => {
    const { result, context } = await run('query Mine { stale }');
    expect(result.extensions).toEqual({
      cache: { stale: true, ageSeconds: 12, outcomes: ['stale'] },
    });
    expect(context.operationName).toBe('Mine');
  });

  it('records the duration by operation and outcome', async () => {
    await run('{ stale }');
    await run('{ refused }');
    const text = await metrics.render();
    expect(text).toMatch(
      /gateway_graphql_operation_duration_seconds_count\{operation="query stale",outcome="ok"\} \d+/,
    );
    expect(text).toMatch(
      /gateway_graphql_operation_duration_seconds_count\{operation="query refused",outcome="NOT_FOUND"\} [1-9]/,
    );
  });

  it('logs unexpected errors only', async () => {
    logged.length = 0;
    await run('{ refused }');
    expect(logged).toEqual([]);
    await run('{ fails }');
    expect(logged).toEqual(['GraphQL operation failed unexpectedly: disk on fire']);
  });
});
