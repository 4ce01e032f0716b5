// The /__sim control routes: not Pancake API, no token, never logged or rate limited.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FaultSpec, RequestLogEntry, SimulatorPage } from './types.js';
import type { SimStore } from './store.js';
import type { FaultQueue } from './faults.js';
import { faultProblem } from './faults.js';
import { type Answer, isObject, parseJson, readBody, send } from './http-io.js';
import { type InsertRequest, parseChange, parseInsert } from './control-bodies.js';

export interface ControlContext {
  store: SimStore;
  faults: FaultQueue;
  pages: SimulatorPage[];
  requestLog: (pageId?: string) => RequestLogEntry[];
  clearLog: () => void;
}

export async function handleControl(
  ctx: ControlContext,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  segments: string[],
): Promise<void> {
  const text = await readBody(req).catch(() => undefined);
  const json = text === undefined ? { invalid: true as const } : parseJson(text);
  const answer = json.invalid
    ? error(400, 'Invalid JSON body')
    : route(ctx, req.method ?? '', url, segments, json.value);
  send(res, answer);
}

function route(ctx: ControlContext, method: string, url: URL, s: string[], body: unknown): Answer {
  const path = s.join('/');
  if (method === 'GET' && path === 'health')
    return done({
      ok: true,
      pages: ctx.pages.map((p) => ({ pageId: p.pageId, customers: ctx.store.count(p.pageId) })),
    });
  if (path === 'log' && method === 'GET')
    return done(ctx.requestLog(url.searchParams.get('page') ?? undefined));
  if (path === 'log' && method === 'DELETE') return cleared(ctx.clearLog);
  if (path === 'faults' && method === 'GET') return done(ctx.faults.pending());
  if (path === 'faults' && method === 'DELETE') return cleared(() => ctx.faults.clear());
  if (path === 'faults' && method === 'POST') {
    const problem = faultProblem(body);
    if (problem) return error(400, `Invalid fault: ${problem}`);
    ctx.faults.add(body as FaultSpec);
    return { status: 201, body: { ok: true, pending: ctx.faults.pending().length } };
  }
  if (path === 'pages' && method === 'GET')
    return done(ctx.pages.map((p) => ({ ...p, customers: ctx.store.count(p.pageId) })));
  if (s[0] === 'pages' && s[2] === 'customers' && s[1] && s.length === 3 && method === 'POST')
    return insertRoute(ctx.store, s[1], body);
  if (s[0] === 'pages' && s[2] === 'customers' && s[1] && s[3])
    return customerRoute(ctx.store, method, s[1], s[3], s.slice(4), body);
  return error(404, 'Not found');
}

/** Dashboard-side views and edits of one customer (what staff do in Pancake's UI). */
function customerRoute(
  store: SimStore,
  method: string,
  pageId: string,
  id: string,
  rest: string[],
  body: unknown,
): Answer {
  if (!store.hasCustomer(pageId, id)) return error(404, `No customer ${id} on page ${pageId}`);
  const action = rest.join('/');
  if (method === 'GET' && action === '') return done(dashboardView(store, pageId, id));
  if (method === 'PATCH' && action === '') {
    const change = parseChange(body);
    if (!change.ok) return error(400, change.message);
    return done(store.changeCustomer(pageId, id, change.value));
  }
  if (method === 'GET' && action === 'notes')
    return done(store.notesOf(pageId, id, { includeRemoved: true }));
  if (method === 'POST' && action === 'phone-numbers') {
    const phones = isObject(body) ? body.phone_numbers : undefined;
    if (!Array.isArray(phones) || !phones.every((p) => typeof p === 'string'))
      return error(400, 'phone_numbers must be an array of strings');
    return done(store.setPhoneNumbers(pageId, id, phones as string[]));
  }
  if (method === 'POST' && action === 'notes') {
    const message = isObject(body) ? body.message : undefined;
    if (typeof message !== 'string' || message === '')
      return error(400, 'message must be a non-empty string');
    return { status: 201, body: store.addNote(pageId, id, message) };
  }
  return error(404, 'Not found');
}

function insertRoute(store: SimStore, pageId: string, body: unknown): Answer {
  if (!store.hasPage(pageId)) return error(404, `No page ${pageId}`);
  const insert = parseInsert(body);
  if (!insert.ok) return error(400, insert.message);
  const taken = takenPsid(store, pageId, insert.value);
  if (taken !== undefined) return error(400, `psid ${taken} already exists on page ${pageId}`);
  return { status: 201, body: { customers: store.insertCustomers(pageId, insert.value) } };
}

/** A psid given twice, in the body or already on the page (psids are unique per page). */
function takenPsid(store: SimStore, pageId: string, insert: InsertRequest): string | undefined {
  if (!('customers' in insert)) return undefined;
  const seen = new Set<string>();
  for (const { fields } of insert.customers) {
    if (fields.psid === undefined) continue;
    if (seen.has(fields.psid) || store.hasPsid(pageId, fields.psid)) return fields.psid;
    seen.add(fields.psid);
  }
  return undefined;
}

/** The customer as lists show it, plus a late change still hidden from them (`pending`). */
function dashboardView(store: SimStore, pageId: string, id: string): unknown {
  const customer = store.getCustomer(pageId, id);
  const late = store.lateChangeOf(pageId, id);
  if (!late) return customer;
  return {
    ...customer,
    pending: { customer: late.raw, visibleAt: new Date(late.visibleAtMs).toISOString() },
  };
}

const done = (body: unknown): Answer => ({ status: 200, body });

function cleared(clear: () => void): Answer {
  clear();
  return done({ ok: true });
}

function error(status: number, message: string): Answer {
  return { status, body: { ok: false, error: message } };
}
