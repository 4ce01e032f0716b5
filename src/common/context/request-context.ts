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
}

const storage = new AsyncLocalStorage<RequestContext>();

export function runWithRequestContext<T>(context: RequestContext, fn: () => T): T {
  return storage.run(context, fn);
}

/** The current request's context, or undefined outside a request (background work, tests). */
export function currentRequestContext(): RequestContext | undefined {
  return storage.getStore();
}

export function newRequestContext(requestId: string): RequestContext {
  return { requestId, upstreamCalls: 0, cacheOutcomes: [], cacheDeps: [] };
}
