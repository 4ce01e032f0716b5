// The Pancake API routes: token, rate limit and faults decided at arrival, then the operation.
import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import type { FaultSpec, RequestLogEntry } from './types.js';
import type { Route } from './routes.js';
import type { SimStore } from './store.js';
import type { RequestLog } from './request-log.js';
import type { RateWindow } from './rate-window.js';
import type { FaultQueue } from './faults.js';
import { type Answer, type Delays, fail, ok, parseJson, readBody, send } from './http-io.js';
import { parseListQuery } from './list-query.js';
import { parseChanges, parseNoteId, parseNoteMessage } from './request-bodies.js';

export const AVATAR_CDN = 'https://content.pancake.vn/avatars';
const DEFAULT_FAULT_LATENCY_MS = 1000;

export interface ApiContext {
  store: SimStore;
  log: RequestLog;
  window: RateWindow;
  faults: FaultQueue;
  delays: Delays;
  now: () => number;
  latencyMs: number;
  tokenOf: (pageId: string) => string;
  isClosing: () => boolean;
}

type ApiRoute = Extract<Route, { kind: 'api' }>;
type AvatarRoute = Extract<Route, { kind: 'avatar' }>;
type Outcome = Answer | 'reset';

export async function handleApi(
  ctx: ApiContext,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  route: ApiRoute,
): Promise<void> {
  const entry = ctx.log.begin({
    pageId: route.pageId,
    method: req.method ?? '',
    path: url.pathname,
    operation: route.operation,
    receivedAt: ctx.now(),
  });
  // Decided synchronously at arrival, so the rate window sees arrival order, not body-read order.
  const early = admission(ctx, url, route, entry);
  const fault = early
    ? undefined
    : takeFault(ctx, route.pageId, route.operation, entry, route.customerId);
  const text = await readBody(req).catch(() => undefined);
  await ctx.delays.wait(ctx.latencyMs + extraLatency(fault));
  if (early) return finish(ctx, res, entry, early);
  if (text === undefined) return finish(ctx, res, entry, fail(413, 'Request body too large'));
  const replaced = fault && fault.kind !== 'latency' ? faultAnswer(fault) : undefined;
  if (replaced && !fault?.afterAction) return finish(ctx, res, entry, replaced);
  const answer = execute(ctx.store, route, url, text);
  finish(ctx, res, entry, replaced ?? answer);
}

/** Public, no token, never rate limited; faults only when one names operation 'avatar'. */
export async function handleAvatar(
  ctx: ApiContext,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  route: AvatarRoute,
): Promise<void> {
  const entry = ctx.log.begin({
    pageId: route.pageId,
    method: req.method ?? '',
    path: url.pathname,
    operation: 'avatar',
    receivedAt: ctx.now(),
  });
  const fault = takeFault(ctx, route.pageId, 'avatar', entry);
  await ctx.delays.wait(extraLatency(fault));
  const location = `${AVATAR_CDN}/${encodeURIComponent(route.pageId)}/${encodeURIComponent(route.psid)}.jpg`;
  const answer: Answer = { status: 301, headers: { location } };
  const replaced = fault && fault.kind !== 'latency' ? faultAnswer(fault) : undefined;
  finish(ctx, res, entry, replaced ?? answer);
}

/** 404, 401 or the simulator's own 429; undefined when the request reaches the page. */
function admission(
  ctx: ApiContext,
  url: URL,
  route: ApiRoute,
  entry: RequestLogEntry,
): Answer | undefined {
  if (route.operation === 'unknown') return fail(404, 'Not found');
  const token = url.searchParams.get('page_access_token');
  if (!ctx.store.hasPage(route.pageId) || token !== ctx.tokenOf(route.pageId))
    return fail(401, 'Invalid access token', 105);
  if (!ctx.window.tryAdmit(route.pageId, entry.receivedAt)) return fail(429, 'Too many requests');
  entry.counted = true;
  return undefined;
}

function takeFault(
  ctx: ApiContext,
  pageId: string,
  operation: RequestLogEntry['operation'],
  entry: RequestLogEntry,
  customerId = '',
): FaultSpec | undefined {
  if (operation === 'unknown') return undefined;
  const fault = ctx.faults.take(pageId, operation, customerId);
  if (fault) entry.fault = fault.kind;
  return fault;
}

function extraLatency(fault: FaultSpec | undefined): number {
  return fault?.kind === 'latency' ? (fault.latencyMs ?? DEFAULT_FAULT_LATENCY_MS) : 0;
}

function faultAnswer(fault: FaultSpec): Outcome {
  if (fault.kind === 'reset') return 'reset';
  const headers =
    fault.retryAfterSeconds === undefined
      ? undefined
      : { 'retry-after': String(fault.retryAfterSeconds) };
  if (fault.kind === 'success-false')
    return { ...fail(200, 'Temporary backend error', fault.errorCode ?? 100), headers };
  const status = fault.status ?? 500;
  const message = status === 429 ? 'Too many requests' : (STATUS_CODES[status] ?? 'Error');
  return { ...fail(status, message, fault.errorCode ?? (status === 401 ? 105 : status)), headers };
}

function finish(
  ctx: ApiContext,
  res: ServerResponse,
  entry: RequestLogEntry,
  outcome: Outcome,
): void {
  // A reset, shutdown during a delay, or a client gone mid-body: no answer (status stays 0).
  if (outcome === 'reset' || ctx.isClosing() || res.destroyed) {
    res.destroy();
    return;
  }
  entry.status = outcome.status;
  const body = outcome.body as { success?: unknown; error_code?: unknown } | undefined;
  if (body?.success === false && typeof body.error_code === 'number')
    entry.errorCode = body.error_code;
  send(res, outcome);
}

function execute(store: SimStore, route: ApiRoute, url: URL, text: string): Answer {
  const { pageId, customerId } = route;
  if (route.operation === 'list') {
    const parsed = parseListQuery(url.searchParams);
    if (!parsed.ok) return fail(400, parsed.message);
    return { status: 200, body: { ...store.query(pageId, parsed.query), success: true } };
  }
  const json = parseJson(text);
  if (json.invalid) return fail(400, 'Invalid JSON body');
  const body = json.value;
  if (!store.hasCustomer(pageId, customerId)) return fail(404, 'Customer not found');
  if (route.operation === 'update') {
    const changes = parseChanges(body);
    if (!changes.ok) return fail(400, changes.message);
    store.update(pageId, customerId, changes.value);
    return ok();
  }
  if (route.operation === 'note_create') {
    const message = parseNoteMessage(body);
    if (!message.ok) return fail(400, message.message);
    store.createNote(pageId, customerId, message.value);
    return ok();
  }
  const noteId = parseNoteId(body);
  if (!noteId.ok || !store.hasNote(pageId, customerId, noteId.value))
    return fail(400, 'Invalid note_id');
  if (route.operation === 'note_delete') {
    store.deleteNote(pageId, customerId, noteId.value);
    return ok();
  }
  const message = parseNoteMessage(body);
  if (!message.ok) return fail(400, message.message);
  store.editNote(pageId, customerId, noteId.value, message.value);
  return ok();
}
