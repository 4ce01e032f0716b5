import request from 'supertest';
import type { Simulator } from '../../tools/pancake-sim/index.js';
import { ALL_TIME, bearer, TEST_KEYS } from './gateway.js';

export interface GqlError {
  message: string;
  path?: string[];
  locations?: { line: number; column: number }[];
  extensions: {
    code: string;
    details?: { violations?: { field: string; rule: string }[] };
    retryAfterSeconds?: number;
  };
}

export interface GqlBody {
  data?: Record<string, unknown> | null;
  errors?: GqlError[];
  extensions?: { cache?: { stale: boolean; ageSeconds?: number; outcomes: string[] } };
}

export interface NoteJson {
  id: string;
  message: string;
  createdAt: string;
  updatedAt: string | null;
  createdBy: { uid: string } | null;
}

export interface CustomerJson {
  id: string;
  psid: string;
  pageId: string;
  name: string | null;
  gender: string | null;
  birthday: string | null;
  phoneNumbers: string[];
  insertedAt: string | null;
  updatedAt: string | null;
  avatarUrl: string;
  notes: NoteJson[];
}

export interface CustomerPageJson {
  total: number;
  pageNumber: number;
  pageSize: number;
  hasNextPage: boolean;
  nodes: CustomerJson[];
}

/** What the DateTime scalar always answers: ISO-8601 in UTC, milliseconds included. */
export const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export const CUSTOMER_FIELDS = `id psid pageId globalCustomerId name phoneNumbers emails gender livesIn
  birthday insertedAt updatedAt avatarUrl
  notes { id message createdAt updatedAt removedAt createdBy { uid name } images links }`;

export const LIST = `query List($pageId: ID!, $since: DateTime!, $until: DateTime!, $pageNumber: Int, $pageSize: Int) {
  customers(pageId: $pageId, since: $since, until: $until, pageNumber: $pageNumber, pageSize: $pageSize) {
    total pageNumber pageSize hasNextPage nodes { ${CUSTOMER_FIELDS} }
  }
}`;

/** `{ customers(...) { total } }` for one page over ALL_TIME, as a literal document. */
export const countQuery = (pageId: string): string =>
  `{ customers(pageId: "${pageId}", since: "${ALL_TIME.since}", until: "${ALL_TIME.until}") { total } }`;

/** Speaks GraphQL to one gateway over HTTP, as a client would (JSON POST, bearer key). */
export class GraphqlClient {
  constructor(private readonly url: string) {}

  async gql(
    query: string,
    variables: Record<string, unknown> = {},
    key: string | null = TEST_KEYS.admin,
  ): Promise<{ status: number; body: GqlBody; headers: Record<string, string> }> {
    const call = request(this.url).post('/graphql');
    if (key !== null) void call.set('Authorization', bearer(key));
    const response = await call.send({ query, variables });
    return {
      status: response.status,
      body: response.body as GqlBody,
      headers: response.headers as Record<string, string>,
    };
  }

  /** One page of customers over ALL_TIME; fails the test on any error. */
  async list(pageId: string, extra: Record<string, unknown> = {}): Promise<CustomerPageJson> {
    const { body } = await this.gql(LIST, { pageId, ...ALL_TIME, ...extra });
    expect(body.errors).toBeUndefined();
    return body.data!.customers as CustomerPageJson;
  }
}

export function onlyError(body: GqlBody): GqlError {
  expect(body.errors).toHaveLength(1);
  return body.errors![0];
}

/** Runs `work` and counts the requests it sent to the simulator. */
export async function upstreamCallsOf(
  sim: Simulator,
  work: () => Promise<unknown>,
): Promise<number> {
  sim.clearLog();
  await work();
  return sim.requestLog().length;
}
