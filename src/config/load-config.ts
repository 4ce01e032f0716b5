import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { parseApiKeys } from './api-keys.js';
import { EnvironmentVariables, SENSITIVE_VARIABLES } from './environment.schema.js';
import { GatewayConfig } from './gateway-config.js';
import { parsePageTokens } from './page-tokens.js';

/** A configuration problem: its message is one line naming the variable and the rule. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

function parseWith<T>(variable: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    throw new ConfigError(`${variable}: ${(error as Error).message}`);
  }
}

/** Validates the environment once at boot; throws ConfigError on the first bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const known = Object.keys(new EnvironmentVariables());
  const present = Object.fromEntries(
    Object.entries(env).filter(
      ([name, value]) => value !== undefined && value !== '' && known.includes(name),
    ),
  );
  const vars = plainToInstance(EnvironmentVariables, present, { exposeDefaultValues: true });
  const errors = validateSync(vars, { skipMissingProperties: false, forbidUnknownValues: true });
  if (errors.length > 0) {
    const first = errors[0];
    // Decorators run bottom-up, so the last constraint is the first one written (the type check).
    const rule = Object.values(first.constraints ?? {}).at(-1) ?? 'is invalid';
    // class-validator messages start with the property name; keep only the rule.
    const ruleText = rule.startsWith(first.property)
      ? rule.slice(first.property.length).trim()
      : rule;
    const shown = SENSITIVE_VARIABLES.has(first.property)
      ? ''
      : ` (got "${String(env[first.property])}")`;
    throw new ConfigError(`${first.property} ${ruleText}${shown}`);
  }
  const isProduction = vars.NODE_ENV === 'production';
  const pageTokens = parseWith('PANCAKE_PAGE_TOKENS', () =>
    parsePageTokens(vars.PANCAKE_PAGE_TOKENS),
  );
  return new GatewayConfig({
    nodeEnv: vars.NODE_ENV,
    port: vars.PORT,
    host: vars.HOST,
    pancake: {
      baseUrl: vars.PANCAKE_BASE_URL.replace(/\/+$/, ''),
      avatarBaseUrl: vars.PANCAKE_AVATAR_BASE_URL.replace(/\/+$/, ''),
      pageTokens,
      rateLimitPerSecond: vars.PANCAKE_RATE_LIMIT_PER_SECOND,
      rateLimitMaxWaitMs: vars.PANCAKE_RATE_LIMIT_MAX_WAIT_MS,
      rateLimitFallbackPerSecond: Math.min(
        vars.PANCAKE_RATE_LIMIT_FALLBACK_PER_SECOND,
        vars.PANCAKE_RATE_LIMIT_PER_SECOND,
      ),
      requestTimeoutMs: vars.PANCAKE_REQUEST_TIMEOUT_MS,
      maxRetries: vars.PANCAKE_MAX_RETRIES,
      retryBaseMs: vars.PANCAKE_RETRY_BASE_MS,
      maxConcurrency: vars.PANCAKE_MAX_CONCURRENCY,
      writeQuarantineMs: vars.PANCAKE_WRITE_QUARANTINE_MS,
      writeJournalSeconds: vars.PANCAKE_WRITE_JOURNAL_SECONDS,

      maxResponseBytes: vars.PANCAKE_MAX_RESPONSE_BYTES,
      bodyDeadlineMs: vars.PANCAKE_BODY_DEADLINE_MS,
      maxConcurrencyPerPage: shareOf(
        vars,
        present,
        'PANCAKE_MAX_CONCURRENCY_PER_PAGE',
        'PANCAKE_MAX_CONCURRENCY',
      ),
    },
    // Key page lists are checked against the tokens: a page without one could only ever 404.
    apiKeys: parseWith('GATEWAY_API_KEYS', () => parseApiKeys(vars.GATEWAY_API_KEYS, pageTokens)),
    redis: {
      url: vars.REDIS_URL ?? null,
      commandTimeoutMs: vars.REDIS_COMMAND_TIMEOUT_MS,
      keyPrefix: vars.REDIS_KEY_PREFIX,
    },
    cache: {
      ttlSeconds: vars.CACHE_TTL_SECONDS,
      staleTtlSeconds: vars.CACHE_STALE_TTL_SECONDS,
      maxEntries: vars.CACHE_MAX_ENTRIES,
    },
    phoneDefaultRegion: vars.PHONE_DEFAULT_REGION.toUpperCase(),
    idempotencyTtlSeconds: vars.IDEMPOTENCY_TTL_SECONDS,
    graphql: {
      maxUpstreamReads: vars.GRAPHQL_MAX_UPSTREAM_READS,
      introspection: vars.GRAPHQL_INTROSPECTION ?? !isProduction,
      landingPage: vars.GRAPHQL_LANDING_PAGE ?? !isProduction,
    },
    http: {
      bodyLimitBytes: vars.BODY_LIMIT_BYTES,
      requestTimeoutMs: vars.REQUEST_TIMEOUT_MS,
      shutdownTimeoutMs: vars.SHUTDOWN_TIMEOUT_MS,
      corsOrigins: vars.CORS_ORIGINS.split(',')
        .map((o) => o.trim())
        .filter(Boolean),
      requestDeadlineMs: vars.REQUEST_DEADLINE_MS,
      compressionThresholdBytes: vars.COMPRESSION_THRESHOLD_BYTES,
    },
    logLevel: vars.LOG_LEVEL,
    graphqlMaxUpstreamRequests: vars.GRAPHQL_MAX_UPSTREAM_REQUESTS,
    connections: {
      headersTimeoutMs: headersTimeoutMs(vars, env),
      keepAliveTimeoutMs: vars.KEEP_ALIVE_TIMEOUT_MS,
      maxConnections: vars.MAX_CONNECTIONS,
    },

    cacheMaxBytes: vars.CACHE_MAX_BYTES,
    database: { url: vars.DATABASE_URL ?? null, dataDir: vars.DATA_DIR },
    mirror: {
      pages: parseWith('SYNC_PAGES', () => syncPages(vars.SYNC_PAGES, pageTokens)),
      intervalSeconds: vars.SYNC_INTERVAL_SECONDS,
      maxRequestsPerSecond: shareOf(
        vars,
        present,
        'SYNC_MAX_REQUESTS_PER_SECOND',
        'PANCAKE_RATE_LIMIT_PER_SECOND',
      ),
      reconcileIntervalSeconds: vars.SYNC_RECONCILE_INTERVAL_SECONDS,
      readSource: vars.READ_SOURCE,
      maxLagSeconds: vars.MIRROR_MAX_LAG_SECONDS,
      versionTrustMs: vars.MIRROR_VERSION_TRUST_MS,
    },
    feed: { heartbeatMs: Math.round(vars.SSE_HEARTBEAT_SECONDS * 1000) },
    webhooks: {
      allowPrivateTargets: vars.WEBHOOK_ALLOW_PRIVATE_TARGETS,
      maxPerKey: vars.WEBHOOK_MAX_PER_KEY,
      concurrencyPerEndpoint: vars.WEBHOOK_CONCURRENCY_PER_ENDPOINT,
      maxConcurrency: vars.WEBHOOK_MAX_CONCURRENCY,
      pollIntervalMs: vars.WEBHOOK_POLL_INTERVAL_MS,
      retryScale: vars.WEBHOOK_RETRY_SCALE,
    },
  });
}

/** SYNC_PAGES as page ids: every one must have a token (a page without one cannot be polled). */
function syncPages(value: string, pageTokens: ReadonlyMap<string, string>): string[] {
  if (value === 'none') return [];
  if (value === 'all') return [...pageTokens.keys()];
  const pages = [...new Set(value.split(','))];
  const unknown = pages.filter((page) => !pageTokens.has(page));
  if (unknown.length > 0)
    throw new Error(
      `page ${unknown.join(', ')} has no token in PANCAKE_PAGE_TOKENS (got "${value}")`,
    );
  return pages;
}

type NumericVariable = {
  [K in keyof EnvironmentVariables]: EnvironmentVariables[K] extends number ? K : never;
}[keyof EnvironmentVariables] &
  string;

/** A share of a whole: unset, its default shrinks to fit a smaller whole; set, it must fit. */
function shareOf(
  vars: EnvironmentVariables,
  present: Record<string, unknown>,
  share: NumericVariable,
  whole: NumericVariable,
): number {
  const value = vars[share];
  const bound = vars[whole];
  if (present[share] === undefined) return Math.min(value, bound);
  return parseWith(share, () => atMost(value, bound, whole));
}

/** A share that must not exceed the whole it is a share of. */
function atMost(value: number, bound: number, boundName: string): number {
  if (value > bound)
    throw new Error(`must not be greater than ${boundName} (${bound}; got "${value}")`);
  return value;
}

/** Node refuses a headers timeout longer than the request timeout; say so by name instead. */
function headersTimeoutMs(vars: EnvironmentVariables, env: NodeJS.ProcessEnv): number {
  const requestTimeoutMs = vars.REQUEST_TIMEOUT_MS;
  if (vars.HEADERS_TIMEOUT_MS === undefined) return Math.min(10_000, requestTimeoutMs);
  if (vars.HEADERS_TIMEOUT_MS > requestTimeoutMs) {
    throw new ConfigError(
      `HEADERS_TIMEOUT_MS must not exceed REQUEST_TIMEOUT_MS (${requestTimeoutMs}) (got "${String(env.HEADERS_TIMEOUT_MS)}")`,
    );
  }
  return vars.HEADERS_TIMEOUT_MS;
}
