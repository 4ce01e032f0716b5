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

/** A slot granted by acquire: when it is, and whether a request may still leave on it. */
export interface SlotGrant {
  /** ms the caller waited for the slot (metrics). */
  waitedMs: number;
  /** The slot's time, epoch ms of this process's clock. */
  slotAt: number;
  /**
   * True while a request may still leave on this slot: at most lateToleranceMs after
   * slotAt, and no 429 pause learned since covers it. Call it at the last synchronous
   * point before the request is written to the socket (PancakeHttp.send's `gate`): a
   * request that left later could land in one upstream window with the next slots'
   * requests. When false, do not send: acquire again (nothing reached the upstream).
   */
  mayDepart(): boolean;
}

/**
 * Per-page admission to the upstream: at most `limit` requests per page in any
 * 1000 ms window, counting every replica; callers wait their turn in FIFO order.
 */
export interface PageRateLimiter {
  /**
   * Resolves when the caller may send one upstream request for pageId (the slot is
   * used), with the grant whose mayDepart() the request must pass as it leaves.
   * Rejects with GatewayError RATE_LIMITED (retryAfterSeconds set) without consuming
   * a slot when the wait would exceed the max wait.
   */
  acquire(pageId: string, options?: AcquireOptions): Promise<SlotGrant>;
  /** Upstream answered 429: no request for pageId starts before now + durationMs, on any replica. */
  pause(pageId: string, durationMs: number): Promise<void>;
  /** Requests currently waiting for pageId in this process (metrics). */
  queueLength(pageId: string): number;
  health(): LimiterHealth;
  close(): Promise<void>;
}
