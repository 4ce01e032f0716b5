import type { FastifyRequest } from 'fastify';
import { replayableRequestOf } from './response-replay.js';

const LIST = '/v1/pages/:pageId/customers';

function fake(
  method: string,
  route: string,
  url: string,
  body?: unknown,
  extra: { query?: Record<string, string>; headers?: Record<string, string> } = {},
): FastifyRequest {
  // REST reads are replayable by their route's config (@CachedRead()); GraphQL by its path.
  const config = { replay: route === LIST };
  const { query = {}, headers = {} } = extra;
  return {
    method,
    url,
    body,
    query,
    headers,
    routeOptions: { url: route, config },
  } as unknown as FastifyRequest;
}

describe('replayableRequestOf', () => {
  it('keys a REST read by path and query pairs, in any order', () => {
    const a = replayableRequestOf(
      fake('GET', LIST, '/v1/pages/111/customers?since=1&until=2&pageSize=5'),
    );
    const b = replayableRequestOf(
      fake('GET', LIST, '/v1/pages/111/customers?pageSize=5&until=2&since=1'),
    );
    expect(a).toBe('rest|/v1/pages/111/customers?pageSize=5&since=1&until=2');
    expect(b).toBe(a);
  });

  it('tells apart other values, other pages, a missing query and the order of repeats', () => {
    const keys = new Set([
      replayableRequestOf(fake('GET', LIST, '/v1/pages/111/customers?a=2&a=1')),
      replayableRequestOf(fake('GET', LIST, '/v1/pages/111/customers?a=1&a=2')),
      replayableRequestOf(fake('GET', LIST, '/v1/pages/111/customers?since=1&until=2')),
      replayableRequestOf(fake('GET', LIST, '/v1/pages/111/customers?since=1&until=3')),
      replayableRequestOf(fake('GET', LIST, '/v1/pages/222/customers?since=1&until=2')),
      replayableRequestOf(fake('GET', LIST, '/v1/pages/111/customers')),
    ]);
    expect(keys.size).toBe(6);
  });

  it('keys a GraphQL POST by query, variables and operation name', () => {
    const body = { query: '{ customers }', variables: { pageId: '111' }, operationName: null };
    const same = replayableRequestOf(fake('POST', '/graphql', '/graphql', { ...body }));
    expect(replayableRequestOf(fake('POST', '/graphql', '/graphql', body))).toBe(same);
    expect(
      replayableRequestOf(
        fake('POST', '/graphql', '/graphql', { ...body, variables: { pageId: '222' } }),
      ),
    ).not.toBe(same);
  });

  it('keys a GraphQL POST by its persisted-query hash too: a wrong hash is never a replay', () => {
    const body = { query: '{ customers }', variables: {} };
    const persisted = (sha256Hash: string) => ({
      ...body,
      extensions: { persistedQuery: { version: 1, sha256Hash } },
    });
    const keys = new Set([
      replayableRequestOf(fake('POST', '/graphql', '/graphql', body)),
      replayableRequestOf(fake('POST', '/graphql', '/graphql', persisted('aaa'))),
      replayableRequestOf(fake('POST', '/graphql', '/graphql', persisted('bbb'))),
    ]);
    expect(keys.size).toBe(3);
    expect(replayableRequestOf(fake('POST', '/graphql', '/graphql', persisted('aaa')))).toBe(
      replayableRequestOf(fake('POST', '/graphql', '/graphql', persisted('aaa'))),
    );
  });

  it('leaves writes and other routes alone', () => {
    expect(replayableRequestOf(fake('POST', LIST, '/v1/pages/111/customers'))).toBeUndefined();
    expect(replayableRequestOf(fake('GET', '/metrics', '/metrics'))).toBeUndefined();
    expect(replayableRequestOf(fake('POST', '/graphql', '/graphql', { query: 1 }))).toBeUndefined();
  });

  it('keys a GraphQL GET by its parameters, only with a header CSRF prevention accepts', () => {
    const query = { query: '{ customers }', variables: '{"pageId":"111"}' };
    const preflight = { 'apollo-require-preflight': 'true' };
    const get = (q: Record<string, string>, headers: Record<string, string> = preflight) =>
      replayableRequestOf(fake('GET', '/graphql', '/graphql', undefined, { query: q, headers }));
    expect(get(query)).toMatch(/^gqlget\|/);
    expect(get({ ...query })).toBe(get(query));
    expect(get({ ...query, variables: '{"pageId":"222"}' })).not.toBe(get(query));
    expect(get(query, { 'x-apollo-operation-name': 'List' })).toBe(get(query));
    // Apollo would refuse it (CSRF prevention): no replay may answer it first.
    expect(get(query, {})).toBeUndefined();
    expect(get({ variables: '{}' })).toBeUndefined();
    expect(
      replayableRequestOf(fake('POST', '/graphql', '/graphql', { query: '{ customers }' })),
    ).not.toBe(get({ query: '{ customers }' }));
  });
});
