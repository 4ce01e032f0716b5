// The requests the benches send: a GraphQL customers query (every field, notes included) and its
// REST mirror, plus the same read straight at the simulator.
import type { RequestLogEntry, Simulator } from '../tools/pancake-sim/index.js';
import type { LoadRequest } from './load-spec.js';
import { BENCH_KEY } from './processes.js';

/** A fixed window in the past holding every seeded customer (no TTL-grid alignment applies). */
export const WINDOW = { since: '2024-01-01T00:00:00Z', until: '2026-12-31T00:00:00Z' } as const;

export const AUTH = { authorization: `Bearer ${BENCH_KEY}` } as const;

export interface ListArgs {
  pageId: string;
  since: string;
  until: string;
  pageNumber?: number | string;
  pageSize?: number | string;
  /** The read's `source` (omitted: the gateway's READ_SOURCE). */
  source?: 'mirror' | 'upstream';
}

const CUSTOMERS_SELECTION = `{
    total pageNumber pageSize hasNextPage
    nodes {
      id psid pageId globalCustomerId name phoneNumbers emails gender livesIn birthday
      insertedAt updatedAt avatarUrl
      notes { id message createdAt updatedAt removedAt createdBy { uid name } images links }
    }
  }`;
const CUSTOMERS_QUERY = `query Customers($pageId: ID!, $since: DateTime!, $until: DateTime!, $pageNumber: Int, $pageSize: Int) {
  customers(pageId: $pageId, since: $since, until: $until, pageNumber: $pageNumber, pageSize: $pageSize) ${CUSTOMERS_SELECTION}
}`;
/** The same query with a `source` argument (the mirror benches). */
const CUSTOMERS_QUERY_WITH_SOURCE = `query Customers($pageId: ID!, $since: DateTime!, $until: DateTime!, $pageNumber: Int, $pageSize: Int, $source: DataSource) {
  customers(pageId: $pageId, since: $since, until: $until, pageNumber: $pageNumber, pageSize: $pageSize, source: $source) ${CUSTOMERS_SELECTION}
}`;

/** The JSON body; `pageNumber` may be the `__SEQ__` placeholder (emitted unquoted). */
export function graphqlBody(args: ListArgs): string {
  const variables = {
    pageId: args.pageId,
    since: args.since,
    until: args.until,
    pageNumber: args.pageNumber ?? 1,
    pageSize: args.pageSize ?? 100,
    ...(args.source ? { source: args.source.toUpperCase() } : {}),
  };
  const query = args.source ? CUSTOMERS_QUERY_WITH_SOURCE : CUSTOMERS_QUERY;
  return JSON.stringify({ query, variables }).replace('"__SEQ__"', '__SEQ__');
}

export function restPath(args: ListArgs): string {
  const query = new URLSearchParams({
    since: args.since,
    until: args.until,
    pageNumber: String(args.pageNumber ?? 1),
    pageSize: String(args.pageSize ?? 100),
    ...(args.source ? { source: args.source } : {}),
  });
  return `/v1/pages/${args.pageId}/customers?${query.toString()}`;
}

export function graphqlLoad(args: ListArgs): LoadRequest {
  return {
    method: 'POST',
    path: '/graphql',
    headers: { ...AUTH, 'content-type': 'application/json' },
    body: graphqlBody(args),
  };
}

export function restLoad(args: ListArgs): LoadRequest {
  return { method: 'GET', path: restPath(args), headers: { ...AUTH } };
}

export interface Fetched {
  status: number;
  contentType: string;
  body: Buffer;
}

async function capture(response: Response): Promise<Fetched> {
  return {
    status: response.status,
    contentType: response.headers.get('content-type') ?? '',
    body: Buffer.from(await response.arrayBuffer()),
  };
}

/** `headers` adds to the request's (fetch itself asks for gzip, deflate and br unless told). */
export async function fetchGraphql(
  gatewayUrl: string,
  args: ListArgs,
  headers: Record<string, string> = {},
): Promise<Fetched> {
  const request = graphqlLoad(args);
  return capture(
    await fetch(`${gatewayUrl}/graphql`, {
      method: 'POST',
      headers: { ...request.headers, ...headers },
      body: request.body,
    }),
  );
}

export async function fetchRest(
  gatewayUrl: string,
  args: ListArgs,
  headers: Record<string, string> = {},
): Promise<Fetched> {
  return capture(
    await fetch(`${gatewayUrl}${restPath(args)}`, { headers: { ...AUTH, ...headers } }),
  );
}

/** The same page read straight from the simulator (upstream's names and units). */
export async function fetchDirect(
  sim: { url: string; pages: { pageId: string; token: string }[] },
  args: ListArgs,
): Promise<Fetched> {
  const token = sim.pages.find((p) => p.pageId === args.pageId)?.token ?? '';
  const query = new URLSearchParams({
    page_access_token: token,
    since: String(Math.floor(Date.parse(args.since) / 1000)),
    until: String(Math.floor(Date.parse(args.until) / 1000)),
    page_number: String(args.pageNumber ?? 1),
    page_size: String(args.pageSize ?? 100),
  });
  return capture(await fetch(`${sim.url}/pages/${args.pageId}/page_customers?${query.toString()}`));
}

/** A network failure as status 0 (the body names the error and its cause), for callers that retry. */
export async function orNetworkError(call: () => Promise<Fetched>): Promise<Fetched> {
  try {
    return await call();
  } catch (error) {
    const cause =
      error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
    const text = `${error instanceof Error ? error.message : String(error)}${cause}`;
    return { status: 0, contentType: 'text/plain', body: Buffer.from(text) };
  }
}

/** The ok-ness of a gateway answer: HTTP 200 and, for GraphQL, no errors array. */
export function isOk(fetched: Fetched): boolean {
  if (fetched.status !== 200) return false;
  try {
    const json = JSON.parse(fetched.body.toString('utf8')) as { errors?: unknown };
    return json.errors === undefined;
  } catch {
    return false;
  }
}

/** The list requests the simulator received, for one page or (no pageId) for all. */
export function listRequests(
  sim: Pick<Simulator, 'requestLog'>,
  pageId?: string,
): RequestLogEntry[] {
  return sim.requestLog(pageId).filter((e) => e.operation === 'list');
}
