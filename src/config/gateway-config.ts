import type { ApiKeyGrant } from './api-keys.js';

export type ReadSourceSetting = 'auto' | 'mirror' | 'upstream';

/** The validated configuration, injected by class. Secrets stay inside; nothing here is logged whole. */
export class GatewayConfig {
  readonly nodeEnv: 'development' | 'production' | 'test';
  readonly port: number;
  readonly host: string;
  readonly pancake: {
    baseUrl: string;
    avatarBaseUrl: string;
    /** pageId -> page access token. */
    pageTokens: ReadonlyMap<string, string>;
    rateLimitPerSecond: number;
    rateLimitMaxWaitMs: number;
    rateLimitFallbackPerSecond: number;
    requestTimeoutMs: number;
    maxRetries: number;
    retryBaseMs: number;
    maxConcurrency: number;
    /** A write with no answer may still land this long after it was abandoned. */
    writeQuarantineMs: number;
    /** How long acknowledged changes are kept to repair a late-landing write. */
    writeJournalSeconds: number;

    maxResponseBytes: number;
    bodyDeadlineMs: number;
    /** At most maxConcurrency (checked at boot). */
    maxConcurrencyPerPage: number;
  };
  readonly apiKeys: readonly ApiKeyGrant[];
  readonly redis: { url: string | null; commandTimeoutMs: number; keyPrefix: string };
  readonly cache: { ttlSeconds: number; staleTtlSeconds: number; maxEntries: number };
  readonly phoneDefaultRegion: string;
  readonly idempotencyTtlSeconds: number;
  readonly graphql: { maxUpstreamReads: number; introspection: boolean; landingPage: boolean };
  readonly http: {
    bodyLimitBytes: number;
    requestTimeoutMs: number;
    shutdownTimeoutMs: number;
    corsOrigins: readonly string[];
    /** Every request is answered within this (ms from its arrival). */
    requestDeadlineMs: number;
    /** Smaller answers are sent uncompressed. */
    compressionThresholdBytes: number;
  };
  readonly logLevel: string;
  /** Upstream requests one GraphQL operation may send at worst, whatever its type. */
  readonly graphqlMaxUpstreamRequests: number;

  readonly connections: {
    /** Bound on receiving the request line and headers (<= http.requestTimeoutMs). */
    headersTimeoutMs: number;
    keepAliveTimeoutMs: number;
    maxConnections: number;
  };

  /** Byte budget of everything the process caches (see MemoryBudget). */
  readonly cacheMaxBytes: number;

  readonly database: {
    /** PostgreSQL server shared by replicas; null: embedded PGlite. */
    url: string | null;
    /** Embedded database directory, or ':memory:'. */
    dataDir: string;
  };
  readonly mirror: {
    /** Configured pages the sync keeps mirrored. */
    pages: readonly string[];
    intervalSeconds: number;
    maxRequestsPerSecond: number;
    reconcileIntervalSeconds: number;
    readSource: ReadSourceSetting;
    maxLagSeconds: number;
    /** How long a version read from a shared database is trusted (TrustedPageVersions). */
    versionTrustMs: number;
  };
  readonly feed: {
    /** Period of the SSE heartbeat comment. */
    heartbeatMs: number;
  };
  readonly webhooks: {
    allowPrivateTargets: boolean;
    maxPerKey: number;
    concurrencyPerEndpoint: number;
    maxConcurrency: number;
    pollIntervalMs: number;
    /** Factor on the retry schedule (1 in production). */
    retryScale: number;
  };

  constructor(values: Omit<GatewayConfig, never>) {
    Object.assign(this, values);
  }
}
