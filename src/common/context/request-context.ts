import { ClsServiceManager } from 'nestjs-cls';
import type { Authentication } from '../auth/caller.js';

/** How one read was answered by the read cache (its own words, reported to the transports). */
export type ReadOutcome = 'hit' | 'miss' | 'coalesced' | 'stale' | 'bypass';

/** One read behind a response: what the cache did, and what replaying the response depends on. */
export interface ReadRecord {
  pageId: string;
  outcome: ReadOutcome;
  /** The page generation the read was keyed by; null when the shared store was bypassed. */
  generation: number | null;
  /** How much longer the copy read stays fresh. */
  freshForMs: number;
  /** Age of the last good copy served because upstream failed (outcome 'stale'). */
  staleAgeSeconds?: number;
  /**
   * 'mirror': a read of the customer mirror; `generation` is then the page's mirror version
   * (it moves with every change the mirror takes, on every replica). Omitted: the read cache.
   */
  store?: 'mirror';
}

/**
 * What one request did, for its log line, response headers and GraphQL extensions. One per
 * HTTP request, kept by nestjs-cls (RequestContextService in injected code).
 */
export interface RequestContext {
  requestId: string;
  /** The one authentication of the request (its Authorization header), made on arrival. */
  auth?: Authentication;
  /** Requests actually sent to Pancake, retries included. */
  upstreamCalls: number;
  /** Reads through the read cache, in order. */
  reads: ReadRecord[];
  /** Where the request's customer reads were answered from (X-Data-Source). */
  dataSource?: 'MIRROR' | 'UPSTREAM';
  operationName?: string;
  /** false when the response must not be replayed (a GraphQL mutation or a response with errors). */
  replayable?: boolean;
  /**
   * Epoch ms by which the request must be answered: queueing, retries and upstream waits all
   * fit inside it (REQUEST_DEADLINE_MS). Undefined: no deadline (tests, tools).
   */
  deadlineAt?: number;
  /** Why the last upstream attempt got no answer (DNS, refused, reset...), for the log line. */
  upstreamFailure?: string;
}

const CONTEXT = 'pgw.request';

export function newRequestContext(requestId: string, deadlineAt?: number): RequestContext {
  return { requestId, upstreamCalls: 0, reads: [], deadlineAt };
}

/** Runs fn (and everything it starts) inside the request's context. */
export function runWithRequestContext<T>(context: RequestContext, fn: () => T): T {
  const cls = ClsServiceManager.getClsService();
  return cls.run(() => {
    cls.set(CONTEXT, context);
    return fn();
  });
}

/** The current request's context, or undefined outside a request (background work, tests). */
export function currentRequestContext(): RequestContext | undefined {
  const cls = ClsServiceManager.getClsService();
  return cls.isActive() ? (cls.get(CONTEXT) as RequestContext | undefined) : undefined;
}

/** One request sent to Pancake on behalf of the current request (for its log line). */
export function countUpstreamCall(): void {
  const context = currentRequestContext();
  if (context) context.upstreamCalls += 1;
}

/** Records why an upstream attempt of the current request got no answer (never a token). */
export function noteUpstreamFailure(cause: string): void {
  const context = currentRequestContext();
  if (context) context.upstreamFailure = cause;
}

/** Milliseconds left before the current request's deadline; Infinity outside a request. */
export function timeLeftMs(now = Date.now()): number {
  const deadlineAt = currentRequestContext()?.deadlineAt;
  return deadlineAt === undefined ? Number.POSITIVE_INFINITY : deadlineAt - now;
}

/**
 * Runs fn outside any request: work that outlives the answer (verifying a write in the
 * background) must neither count into nor be cut by the request that started it.
 */
export function runDetached<T>(fn: () => T): T {
  return ClsServiceManager.getClsService().exit(fn);
}

/** The key name of the request's caller, for logs and replay keys (never the key). */
export function keyNameOf(context: RequestContext | undefined): string | undefined {
  const auth = context?.auth;
  return auth && 'caller' in auth ? auth.caller.keyName : undefined;
}

/** The oldest stale copy a response was built from, if any. */
export function staleAgeOf(context: Pick<RequestContext, 'reads'>): number | undefined {
  let age: number | undefined;
  for (const read of context.reads)
    if (read.outcome === 'stale' && read.staleAgeSeconds !== undefined)
      age = Math.max(age ?? 0, read.staleAgeSeconds);
  return age;
}
