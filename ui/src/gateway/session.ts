import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { createGraphqlClient, type GraphqlClient } from '@pancake-gateway/clients';
import { asProblem, problemFromErrors } from './problems';

/** Where a read came from and how fresh it is, from the answer's extensions. */
export interface Provenance {
  /** MIRROR or UPSTREAM (extensions.dataSource); absent on answers that read nothing. */
  source?: string;
  /** A stale copy served because Pancake failed (extensions.cache.stale). */
  stale: boolean;
  staleAgeSeconds?: number;
}

export interface Answer<T> {
  data: T;
  provenance: Provenance;
}

/** The typed GraphQL client of clients/ for one API key, on the page's own origin. */
export class GatewaySession {
  private readonly client: GraphqlClient;

  constructor(readonly apiKey: string) {
    this.client = createGraphqlClient({ baseUrl: '', apiKey });
  }

  /** Runs one operation; any error becomes a GatewayProblem naming what happened. */
  async run<TResult, TVariables>(
    document: TypedDocumentNode<TResult, TVariables>,
    variables: TVariables,
  ): Promise<Answer<TResult>> {
    let result;
    try {
      result = await this.client.execute(document, variables);
    } catch (error) {
      throw asProblem(error);
    }
    if (result.errors?.length || !result.data) throw problemFromErrors(result.errors ?? []);
    const extensions = result.extensions ?? {};
    const cache = extensions.cache as { stale?: boolean; ageSeconds?: number } | undefined;
    return {
      data: result.data,
      provenance: {
        source: typeof extensions.dataSource === 'string' ? extensions.dataSource : undefined,
        stale: cache?.stale === true,
        staleAgeSeconds: cache?.ageSeconds,
      },
    };
  }
}
