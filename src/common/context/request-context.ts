import { AsyncLocalStorage } from 'node:async_hooks';
import type { CacheOutcome } from '../../cache/read-cache.js';

/** What one request did, for its log line, response headers and GraphQL extensions. */
export interface RequestContext {
  requestId: string;
  /** The API key's name (never the key). */
  keyName?: string;
  /** Requests actually sent to Pancake, retries included. */
  upstreamCalls: number;
  cacheOutcomes: CacheOutcome[];
  /** Set when a read was served from the last good copy because upstream failed. */
  stale?: { ageSeconds: number };
  operationName?: string;
  /** The cached reads behind this response, for the whole-response cache. */
  cacheDeps: { pageId: string; generation: number | null; freshForMs: number }[];
  /** false when the response must not be replayed (a GraphQL mutation or a response with errors). */
  replayable?: boolean;
  /**
   * Epoch ms by which the request must be answered: queueing, retries and upstream waits all
   * fit inside it (REQUEST_DEADLINE_MS). Undefined: no deadline (tests, tools).
   */
  deadlineAt?: number;
}

const storage = new AsyncLocalStorage<RequestContext>();

export function runWithRequestContext<T>(context: RequestContext, fn: () => T): T {
  return storage.run(context, fn);
}

/** The current request's context, or undefined outside a request (background work, tests). */
export function currentRequestContext(): RequestContext | undefined {
  return storage.getStore();
}

export function newRequestContext(requestId: string, deadlineAt?: number): RequestContext {
  return { requestId, upstreamCalls: 0, cacheOutcomes: [], cacheDeps: [], deadlineAt };
}

/** Milliseconds left before the current request's deadline; Infinity outside a request. */
export function timeLeftMs(now = Date.now()): number {
  const deadlineAt = storage.getStore()?.deadlineAt;
  return deadlineAt === undefined ? Number.POSITIVE_INFINITY : deadlineAt - now;
}

/**
 * Runs fn outside any request: work that outlives the answer (verifying a write in the
 * background) must neither count into nor be cut by the request that started it.
 */
export function runDetached<T>(fn: () => T): T {
  return storage.exit(fn);
}
