import 'reflect-metadata';
import { ConfigError, loadConfig } from './load-config.js';

function errorOf(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('applies the contract defaults', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.pancake.baseUrl).toBe('https://pages.fm/api/public_api/v1');
    expect(config.pancake.avatarBaseUrl).toBe('https://pancake.vn/api/v1');
    expect(config.pancake.rateLimitPerSecond).toBe(5);
    expect(config.cache.ttlSeconds).toBe(30);
    expect(config.phoneDefaultRegion).toBe('VN');
    expect(config.redis.url).toBeNull();
    expect(config.pancake.pageTokens.size).toBe(0);
    expect(config.graphql.introspection).toBe(true);
    expect(config.graphql.maxUpstreamReads).toBe(5);
    expect(config.graphqlMaxUpstreamRequests).toBe(25);
  });

  it('parses tokens and keys, including the richer key form', () => {
    const config = loadConfig({
      PANCAKE_PAGE_TOKENS: '111=tok-a,222=tok-b',
      GATEWAY_API_KEYS: 'crm=crm-key-0123456789,bi=bi-key-0123456789ab;scope=read;pages=111',
    });
    expect(config.pancake.pageTokens.get('222')).toBe('tok-b');
    expect(config.apiKeys[0]).toMatchObject({ name: 'crm', scope: 'write', pages: null });
    expect(config.apiKeys[1].scope).toBe('read');
    expect([...(config.apiKeys[1].pages ?? [])]).toEqual(['111']);
  });

  it.each([
    [{ PORT: 'abc' }, /^PORT .*integer.*\(got "abc"\)$/],
    [{ PANCAKE_RATE_LIMIT_PER_SECOND: '0' }, /^PANCAKE_RATE_LIMIT_PER_SECOND .*not be less than 1/],
    [{ PANCAKE_BASE_URL: 'not a url' }, /^PANCAKE_BASE_URL .*URL/],
    [{ PHONE_DEFAULT_REGION: 'XX' }, /^PHONE_DEFAULT_REGION /],
    [{ GRAPHQL_INTROSPECTION: 'maybe' }, /^GRAPHQL_INTROSPECTION .*boolean/],
    [{ GRAPHQL_MAX_UPSTREAM_REQUESTS: '0' }, /^GRAPHQL_MAX_UPSTREAM_REQUESTS .*less than 1/],
    [
      { PANCAKE_PAGE_TOKENS: '111=abc,x=1' },
      /^PANCAKE_PAGE_TOKENS: entry 2: the page id must be digits$/,
    ],
    [
      { GATEWAY_API_KEYS: 'crm=short' },
      /^GATEWAY_API_KEYS: entry 1 \(crm\): the key must be at least 16/,
    ],
    [{ GATEWAY_API_KEYS: 'crm=0123456789abcdefgh;scope=admin' }, /scope must be read or write/],
    [
      {
        PANCAKE_PAGE_TOKENS: '111=tok-a',
        GATEWAY_API_KEYS: 'crm=0123456789abcdefgh;pages=111|999',
      },
      /^GATEWAY_API_KEYS: entry 1 \(crm\): page 999 has no token in PANCAKE_PAGE_TOKENS$/,
    ],
    [
      { GATEWAY_API_KEYS: 'crm=0123456789abcdefgh;pages=111' },
      /^GATEWAY_API_KEYS: entry 1 \(crm\): page 111 has no token in PANCAKE_PAGE_TOKENS$/,
    ],
  ])('refuses %j with one line naming the variable', (env, pattern) => {
    const message = errorOf(env);
    expect(message).toMatch(pattern);
    expect(message).not.toContain('\n');
  });

  it('never echoes a secret', () => {
    const secret = 'super-secret-token-value';
    const envs: Record<string, string>[] = [
      { PANCAKE_PAGE_TOKENS: `abc=${secret}` },
      { PANCAKE_PAGE_TOKENS: `111=${secret} x` },
      { GATEWAY_API_KEYS: `=${secret}` },
      { REDIS_URL: `http://user:${secret}@host` },
    ];
    for (const env of envs) {
      expect(errorOf(env)).not.toContain(secret);
    }
  });

  it('reads booleans strictly', () => {
    expect(loadConfig({ GRAPHQL_INTROSPECTION: 'false' }).graphql.introspection).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production' }).graphql.introspection).toBe(false);
  });

  it('bounds connections: headers within the request bound, idle and total caps', () => {
    expect(loadConfig({}).connections).toEqual({
      headersTimeoutMs: 10_000,
      keepAliveTimeoutMs: 5000,
      maxConnections: 1024,
    });
    expect(loadConfig({ REQUEST_TIMEOUT_MS: '4000' }).connections.headersTimeoutMs).toBe(4000);
    expect(
      loadConfig({ REQUEST_TIMEOUT_MS: '4000', HEADERS_TIMEOUT_MS: '4000' }).connections
        .headersTimeoutMs,
    ).toBe(4000);
    expect(errorOf({ REQUEST_TIMEOUT_MS: '4000', HEADERS_TIMEOUT_MS: '5000' })).toBe(
      'HEADERS_TIMEOUT_MS must not exceed REQUEST_TIMEOUT_MS (4000) (got "5000")',
    );
    expect(errorOf({ MAX_CONNECTIONS: '0' })).toMatch(/^MAX_CONNECTIONS .*not be less than 1/);
    expect(errorOf({ KEEP_ALIVE_TIMEOUT_MS: 'soon' })).toMatch(/^KEEP_ALIVE_TIMEOUT_MS .*integer/);
  });
});

describe('loadConfig: upstream answer bounds and page shares', () => {
  it('defaults to a 4 MiB body cap, a 5 s body deadline and a share of 8 connections per page', () => {
    expect(loadConfig({}).pancake).toMatchObject({
      maxResponseBytes: 4 * 1024 * 1024,
      bodyDeadlineMs: 5_000,
      maxConcurrencyPerPage: 8,
    });
  });

  it('shrinks the default share to a smaller total, and refuses a set share above it', () => {
    expect(loadConfig({ PANCAKE_MAX_CONCURRENCY: '4' }).pancake.maxConcurrencyPerPage).toBe(4);
    expect(() =>
      loadConfig({ PANCAKE_MAX_CONCURRENCY: '4', PANCAKE_MAX_CONCURRENCY_PER_PAGE: '6' }),
    ).toThrow(
      /^PANCAKE_MAX_CONCURRENCY_PER_PAGE: must not be greater than PANCAKE_MAX_CONCURRENCY \(4; got "6"\)$/,
    );
  });

  it.each([
    [
      { PANCAKE_MAX_RESPONSE_BYTES: '1000' },
      /^PANCAKE_MAX_RESPONSE_BYTES .*not be less than 65536/,
    ],
    [{ PANCAKE_BODY_DEADLINE_MS: 'soon' }, /^PANCAKE_BODY_DEADLINE_MS .*integer/],
    [
      { PANCAKE_MAX_CONCURRENCY_PER_PAGE: '0' },
      /^PANCAKE_MAX_CONCURRENCY_PER_PAGE .*not be less than 1/,
    ],
  ])('refuses %j naming the variable', (env, pattern) => {
    expect(() => loadConfig(env)).toThrow(pattern);
  });
});

describe('loadConfig: cache budget', () => {
  it('bounds the caches by CACHE_MAX_BYTES: 64 MiB by default, at least 1 MiB', () => {
    expect(loadConfig({}).cacheMaxBytes).toBe(64 * 1024 * 1024);
    expect(loadConfig({ CACHE_MAX_BYTES: '2097152' }).cacheMaxBytes).toBe(2 * 1024 * 1024);
    expect(errorOf({ CACHE_MAX_BYTES: '1000' })).toBe(
      'CACHE_MAX_BYTES must not be less than 1048576 (got "1000")',
    );
    expect(errorOf({ CACHE_MAX_BYTES: '64MiB' })).toMatch(/^CACHE_MAX_BYTES must be an integer/);
  });
});

describe('loadConfig: compression', () => {
  it('compresses answers of COMPRESSION_THRESHOLD_BYTES and more: 1024 by default, 0 for all', () => {
    expect(loadConfig({}).http.compressionThresholdBytes).toBe(1024);
    expect(loadConfig({ COMPRESSION_THRESHOLD_BYTES: '0' }).http.compressionThresholdBytes).toBe(0);
    expect(errorOf({ COMPRESSION_THRESHOLD_BYTES: '-1' })).toBe(
      'COMPRESSION_THRESHOLD_BYTES must not be less than 0 (got "-1")',
    );
  });
});
