import { Transform, Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsISO31661Alpha2,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
} from 'class-validator';

/** Variables whose values are secrets: never echoed in a config error. */
export const SENSITIVE_VARIABLES = new Set([
  'PANCAKE_PAGE_TOKENS',
  'GATEWAY_API_KEYS',
  'REDIS_URL',
  'DATABASE_URL',
]);

/** 'true'/'false' (and 1/0) as booleans; anything else stays a string and fails @IsBoolean. */
function parseBooleanString({ value }: { value: unknown }): unknown {
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  return value;
}

const URL_OPTIONS = { require_tld: false, require_protocol: true, protocols: ['http', 'https'] };

/**
 * The environment, as the gateway contract names it plus operational knobs.
 * Validated once at boot (see load-config.ts); defaults live here.
 */
export class EnvironmentVariables {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @IsString()
  HOST = '0.0.0.0';

  @IsUrl(URL_OPTIONS)
  PANCAKE_BASE_URL = 'https://pages.fm/api/public_api/v1';

  @IsUrl(URL_OPTIONS)
  PANCAKE_AVATAR_BASE_URL = 'https://pancake.vn/api/v1';

  @IsOptional()
  @IsString()
  PANCAKE_PAGE_TOKENS?: string;

  @IsOptional()
  @IsString()
  GATEWAY_API_KEYS?: string;

  @IsOptional()
  @Matches(/^rediss?:\/\/\S+$/, { message: 'must be a redis:// or rediss:// URL' })
  REDIS_URL?: string;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(86400)
  CACHE_TTL_SECONDS = 30;

  /** How long a cached read may still be served when upstream fails. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(86400)
  CACHE_STALE_TTL_SECONDS = 3600;

  /** Bound of the in-process cache (entries). */
  @Type(() => Number)
  @IsInt()
  @Min(10)
  @Max(1_000_000)
  CACHE_MAX_ENTRIES = 5000;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  PANCAKE_RATE_LIMIT_PER_SECOND = 5;

  /** Longest a request may queue for a rate-limit slot before failing with RATE_LIMITED. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(600_000)
  PANCAKE_RATE_LIMIT_MAX_WAIT_MS = 10_000;

  /** Per-process rate while Redis is unreachable: a conservative share of the page limit. */
  @Type(() => Number)
  @Min(0.1)
  @Max(1000)
  PANCAKE_RATE_LIMIT_FALLBACK_PER_SECOND = 1;

  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(120_000)
  PANCAKE_REQUEST_TIMEOUT_MS = 10_000;

  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(10)
  PANCAKE_MAX_RETRIES = 3;

  /** First retry delay; later ones double (1 s, 2 s, 4 s by default). */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(60_000)
  PANCAKE_RETRY_BASE_MS = 1000;

  /** Upper bound of concurrent upstream requests per process. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1024)
  PANCAKE_MAX_CONCURRENCY = 32;

  @Type(() => Number)
  @IsInt()
  @Min(50)
  @Max(10_000)
  REDIS_COMMAND_TIMEOUT_MS = 500;

  /** Prefix of every Redis key the gateway writes, so several deployments can share one Redis. */
  @Matches(/^[A-Za-z0-9:_.{}-]{1,64}$/, {
    message: 'must be 1-64 characters of letters, digits and :_.-',
  })
  REDIS_KEY_PREFIX = 'pgw:';

  @IsISO31661Alpha2()
  PHONE_DEFAULT_REGION = 'VN';

  @Type(() => Number)
  @IsInt()
  @Min(86_400) // replays are promised for at least 24 h
  @Max(30 * 86400)
  IDEMPOTENCY_TTL_SECONDS = 86_400;

  /** Upstream reads one GraphQL operation may cause (cost limit). */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  GRAPHQL_MAX_UPSTREAM_READS = 5;

  @IsOptional()
  @Transform(parseBooleanString)
  @IsBoolean()
  GRAPHQL_INTROSPECTION?: boolean;

  @IsOptional()
  @Transform(parseBooleanString)
  @IsBoolean()
  GRAPHQL_LANDING_PAGE?: boolean;

  @Type(() => Number)
  @IsInt()
  @Min(1024)
  @Max(10 * 1024 * 1024)
  BODY_LIMIT_BYTES = 64 * 1024;

  @Type(() => Number)
  @IsInt()
  @Min(1000)
  @Max(300_000)
  REQUEST_TIMEOUT_MS = 30_000;

  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(120_000)
  SHUTDOWN_TIMEOUT_MS = 10_000;

  /** Comma-separated allowed browser origins; empty means no cross-origin access. */
  @IsString()
  CORS_ORIGINS = '';

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  /** Every request is answered within this, queueing, retries and upstream waits included. */
  @Type(() => Number)
  @IsInt()
  @Min(500)
  @Max(300_000)
  REQUEST_DEADLINE_MS = 15_000;

  /**
   * How long a write whose outcome is unknown (no answer) may still land upstream: the
   * customer takes no other write through the gateway for that long unless the write is seen.
   */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(600_000)
  PANCAKE_WRITE_QUARANTINE_MS = 60_000;

  /** How long acknowledged phone numbers and notes are kept to repair a write landing late. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(86_400)
  PANCAKE_WRITE_JOURNAL_SECONDS = 900;

  /**
   * Upstream requests one GraphQL operation, of any type, may send at worst (each root field
   * declares its own). 25: five customer lookups, or any single mutation.
   */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  GRAPHQL_MAX_UPSTREAM_REQUESTS = 25;

  /** Largest upstream answer body read (bytes); a 100-customer page is ~57 KB. */
  @Type(() => Number)
  @IsInt()
  @Min(64 * 1024)
  @Max(256 * 1024 * 1024)
  PANCAKE_MAX_RESPONSE_BYTES = 4 * 1024 * 1024;

  /** Longest an upstream answer body may take once its headers arrived. */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(120_000)
  PANCAKE_BODY_DEADLINE_MS = 5_000;

  /** Upstream requests one page may have in flight (its share of PANCAKE_MAX_CONCURRENCY). */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1024)
  PANCAKE_MAX_CONCURRENCY_PER_PAGE = 8;

  /**
   * Longest a client may take to send the request line and headers (408 after); unset: 10 s,
   * or REQUEST_TIMEOUT_MS when that is shorter. Must not exceed REQUEST_TIMEOUT_MS.
   */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(300_000)
  HEADERS_TIMEOUT_MS?: number;

  /** How long an idle keep-alive connection stays open after an answer. */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(600_000)
  KEEP_ALIVE_TIMEOUT_MS = 5000;

  /** Open client connections per process; connections over it are closed at once. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  MAX_CONNECTIONS = 1024;

  /** Bytes the in-process caches may keep: read cache, replay bytes, customer index snapshots. */
  @Type(() => Number)
  @IsInt()
  @Min(1024 * 1024)
  @Max(64 * 1024 * 1024 * 1024)
  CACHE_MAX_BYTES = 64 * 1024 * 1024;

  // --- The customer mirror (gateway-contract.md, "The customer mirror") ---

  /** PostgreSQL shared by all replicas; unset: embedded PGlite in DATA_DIR. */
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/\S+$/, { message: 'must be a postgres:// or postgresql:// URL' })
  DATABASE_URL?: string;

  /** Where the embedded database lives; `:memory:` keeps it in memory. */
  @IsString()
  DATA_DIR = './data';

  /** `all`, `none`, or a comma-separated list of configured page ids. */
  @Matches(/^(all|none|\d+(,\d+)*)$/, {
    message: 'must be all, none or a list of page ids like 111,222',
  })
  SYNC_PAGES = 'all';

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(3600)
  SYNC_INTERVAL_SECONDS = 5;

  @Type(() => Number)
  @IsNumber()
  @Min(0.1)
  @Max(100)
  SYNC_MAX_REQUESTS_PER_SECOND = 2;

  @Type(() => Number)
  @IsInt()
  @Min(10)
  @Max(30 * 86_400)
  SYNC_RECONCILE_INTERVAL_SECONDS = 21_600;

  @IsIn(['auto', 'mirror', 'upstream'])
  READ_SOURCE: 'auto' | 'mirror' | 'upstream' = 'auto';

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(86_400)
  MIRROR_MAX_LAG_SECONDS = 30;

  /**
   * How long a replica answers from a mirror version it read from the shared database before
   * asking again; every gateway write waits as long before it answers. Same on every replica.
   */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(5000)
  MIRROR_VERSION_TRUST_MS = 20;

  /** SSE comment line period: keeps proxies from closing an idle event stream. */
  @Type(() => Number)
  @IsNumber()
  @Min(0.05)
  @Max(300)
  SSE_HEARTBEAT_SECONDS = 15;

  // --- Webhooks (gateway-contract.md, "Webhook delivery") ---

  /** Allow webhook targets on loopback or private addresses (tests and local demos only). */
  @Transform(parseBooleanString)
  @IsBoolean()
  WEBHOOK_ALLOW_PRIVATE_TARGETS = false;

  /** Webhooks one API key may own. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  WEBHOOK_MAX_PER_KEY = 20;

  /** Deliveries one process sends at once to one endpoint (a slow endpoint holds no more). */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(64)
  WEBHOOK_CONCURRENCY_PER_ENDPOINT = 8;

  /** Deliveries one process sends at once, all endpoints together. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1024)
  WEBHOOK_MAX_CONCURRENCY = 64;

  /** How often an idle dispatcher looks for due deliveries (new events wake it at once). */
  @Type(() => Number)
  @IsInt()
  @Min(10)
  @Max(60_000)
  WEBHOOK_POLL_INTERVAL_MS = 1000;

  /** Multiplies the retry schedule (5 s ... 10 h); below 1 only to shorten it in tests. */
  @Type(() => Number)
  @IsNumber()
  @Min(0.00001)
  @Max(1)
  WEBHOOK_RETRY_SCALE = 1;

  /** Answers smaller than this go out uncompressed (a coding's framing outweighs its gain). */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(16 * 1024 * 1024)
  COMPRESSION_THRESHOLD_BYTES = 1024;
}
