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
    [
      { PANCAKE_PAGE_TOKENS: '111=abc,x=1' },
      /^PANCAKE_PAGE_TOKENS: entry 2: the page id must be digits$/,
    ],
    [
      { GATEWAY_API_KEYS: 'crm=short' },
      /^GATEWAY_API_KEYS: entry 1 \(crm\): the key must be at least 16/,
    ],
    [{ GATEWAY_API_KEYS: 'crm=0123456789abcdefgh;scope=admin' }, /scope must be read or write/],
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

  it('bounds the caches by CACHE_MAX_BYTES: 64 MiB by default, at least 1 MiB', () => {
    expect(loadConfig({}).cacheMaxBytes).toBe(64 * 1024 * 1024);
    expect(loadConfig({ CACHE_MAX_BYTES: '2097152' }).cacheMaxBytes).toBe(2 * 1024 * 1024);
    expect(errorOf({ CACHE_MAX_BYTES: '1000' })).toBe(
      'CACHE_MAX_BYTES must not be less than 1048576 (got "1000")',
    );
    expect(errorOf({ CACHE_MAX_BYTES: '64MiB' })).toMatch(/^CACHE_MAX_BYTES must be an integer/);
  });
});
