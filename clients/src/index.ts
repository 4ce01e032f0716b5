// Typed clients for pancake-gateway: REST through openapi-fetch over the types openapi-typescript
// made from the OpenAPI document, GraphQL through the typed documents of graphql-codegen's
// client preset. Both generated from the code (`npm run clients:write`), checked in CI.
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print, type GraphQLFormattedError } from 'graphql';
import createFetchClient, { type Client } from 'openapi-fetch';
import type { paths } from './generated/rest.js';

export * from './generated/graphql/graphql.js';
export type { components, operations, paths } from './generated/rest.js';

export interface GatewayClientOptions {
  /** e.g. http://localhost:3000 */
  baseUrl: string;
  /** A key from the gateway's GATEWAY_API_KEYS. */
  apiKey: string;
}

/** The REST mirror (`/v1`): paths, parameters, bodies and answers typed from the OpenAPI document. */
export function createRestClient(options: GatewayClientOptions): Client<paths> {
  const client = createFetchClient<paths>({ baseUrl: options.baseUrl });
  client.use({
    onRequest({ request }) {
      request.headers.set('Authorization', `Bearer ${options.apiKey}`);
      return request;
    },
  });
  return client;
}

/** What a GraphQL operation answered: its data, and the errors with their `extensions.code`. */
export interface GraphqlResult<TResult> {
  data?: TResult | null;
  errors?: readonly GraphQLFormattedError[];
  /** What the gateway says about the answer: `dataSource` (MIRROR or UPSTREAM), `cache.stale`. */
  extensions?: Record<string, unknown>;
}

/** An operation answered with errors; `errors[].extensions.code` says which (BAD_USER_INPUT, ...). */
export class GraphqlRequestError extends Error {
  constructor(readonly errors: readonly GraphQLFormattedError[]) {
    super(errors.map((e) => e.message).join('; '));
    this.name = 'GraphqlRequestError';
  }
}

export interface GraphqlClient {
  /** The whole answer, errors included. */
  execute<TResult, TVariables>(
    document: TypedDocumentNode<TResult, TVariables>,
    variables: TVariables,
  ): Promise<GraphqlResult<TResult>>;
  /** The data; an answer with errors throws GraphqlRequestError. */
  request<TResult, TVariables>(
    document: TypedDocumentNode<TResult, TVariables>,
    variables: TVariables,
  ): Promise<TResult>;
}

/** `POST /graphql` with the typed documents of ./generated/graphql (e.g. CustomersDocument). */
export function createGraphqlClient(options: GatewayClientOptions): GraphqlClient {
  const execute: GraphqlClient['execute'] = async (document, variables) => {
    const response = await fetch(`${options.baseUrl}/graphql`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Authorization: `Bearer ${options.apiKey}`,
      },
      body: JSON.stringify({ query: print(document), variables }),
    });
    return (await response.json()) as GraphqlResult<never>;
  };
  return {
    execute,
    async request(document, variables) {
      const result = await execute(document, variables);
      if (result.errors?.length || !result.data) throw new GraphqlRequestError(result.errors ?? []);
      return result.data;
    },
  };
}
