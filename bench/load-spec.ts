// The contract between the orchestrator (load.ts) and the autocannon child (load-worker.ts).

export interface LoadRequest {
  method: 'GET' | 'POST';
  /** Path and query; `__SEQ__` is replaced by a run-wide counter (1, 2, ...), `__SEQ_MINUTE__` by
   *  the ISO instant SEQ_BASE + counter minutes, so every use is a distinct (uncached) request. */
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface LoadSpec {
  /** Origin, e.g. http://127.0.0.1:3000 */
  url: string;
  connections: number;
  /** Seconds; ignored when amount is set. */
  durationSec?: number;
  /** Total requests, then stop. */
  amount?: number;
  /** Requests each connection cycles through, in order. */
  requests: LoadRequest[];
}

export interface LoadResult {
  requests: number;
  durationSec: number;
  reqPerSec: number;
  /** Latency of 2xx and 304 answers, ms, from autocannon's per-response timings (sub-ms precision). */
  p50: number;
  p99: number;
  /** Answers neither 2xx nor 304. */
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCounts: Record<string, number>;
}

export const SEQ_BASE_MS = Date.UTC(2024, 0, 1);
