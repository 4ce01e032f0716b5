/** Injection token for the PageRateLimiter chosen at boot (Redis when REDIS_URL is set). */
export const PAGE_RATE_LIMITER = Symbol('PAGE_RATE_LIMITER');

export interface LimiterHealth {
  /** 'redis' or 'in-process'. */
  backend: string;
  /** false while the Redis backend cannot reach Redis and runs on its fallback share. */
  healthy: boolean;
  detail?: string;
}

export interface AcquireOptions {
  /** Override of the configured max wait for this call. */
  maxWaitMs?: number;
  signal?: AbortSignal;
}

/**
 * Per-page admission to the upstream: at most `limit` requests per page in any
 * 1000 ms window, counting every replica; callers wait their turn in FIFO order.
 */
export interface PageRateLimiter {
  /**
   * Resolves when the caller may send one upstream request for pageId (the slot is
   * used). Rejects with GatewayError RATE_LIMITED (retryAfterSeconds set) without
   * consuming a slot when the wait would exceed the max wait. Resolves to the ms waited.
   */
  acquire(pageId: string, options?: AcquireOptions): Promise<number>;
  /** Upstream answered 429: no request for pageId starts before now + durationMs, on any replica. */
  pause(pageId: string, durationMs: number): Promise<void>;
  /** Requests currently waiting for pageId in this process (metrics). */
  queueLength(pageId: string): number;
  health(): LimiterHealth;
  close(): Promise<void>;
}
