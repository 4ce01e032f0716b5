// Shared helpers for the simulator specs: real HTTP calls with global fetch, a manual clock.
import type { Simulator } from './types.js';
import type { RawCustomer } from './raw-shapes.js';

/** 2100-01-01: an `until` after every seeded or simulated timestamp. */
export const FAR_FUTURE_S = 4_102_444_800;

export interface Reply {
  status: number;
  headers: Headers;
  // Parsed JSON whose shape each spec asserts; `any` keeps those assertions readable.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

/** A clock tests move by hand, for exact rate-window edges and exact updated_at values. */
export function manualClock(startMs: number): {
  now: () => number;
  set: (ms: number) => void;
  advance: (ms: number) => void;
} {
  let current = startMs;
  return {
    now: () => current,
    set: (ms) => {
      current = ms;
    },
    advance: (ms) => {
      current += ms;
    },
  };
}

async function reply(response: Response): Promise<Reply> {
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text === '' ? undefined : JSON.parse(text),
  };
}

export interface CallOptions {
  pageId?: string;
  /** Token to send; default the page's simulator token, null sends none. */
  token?: string | null;
  query?: Record<string, string | number>;
  /** JSON-encoded unless already a string (for malformed bodies). */
  body?: unknown;
}

/** One Pancake API call: `path` is below /pages/{pageId}/, e.g. 'page_customers'. */
export async function api(
  sim: Simulator,
  method: string,
  path: string,
  options: CallOptions = {},
): Promise<Reply> {
  const pageId = options.pageId ?? '111';
  const url = new URL(`${sim.url}/pages/${pageId}/${path}`);
  const token = options.token === undefined ? `sim-token-${pageId}` : options.token;
  if (token !== null) url.searchParams.set('page_access_token', token);
  for (const [key, value] of Object.entries(options.query ?? {}))
    url.searchParams.set(key, String(value));
  const init: RequestInit = { method };
  if (options.body !== undefined) {
    init.body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    init.headers = { 'content-type': 'application/json' };
  }
  return reply(await fetch(url, init));
}

/** GET page_customers with the whole seeded range unless overridden. */
export function list(
  sim: Simulator,
  query: Record<string, string | number> = {},
  options: CallOptions = {},
): Promise<Reply> {
  return api(sim, 'GET', 'page_customers', {
    ...options,
    query: { since: 0, until: FAR_FUTURE_S, page_number: 1, ...query },
  });
}

/** Every customer of a page through the API, page_size 100, walking page_number until empty. */
export async function walk(
  sim: Simulator,
  query: Record<string, string | number> = {},
  pageId = '111',
): Promise<{ total: number; customers: RawCustomer[]; calls: number }> {
  const customers: RawCustomer[] = [];
  // eslint-disable-next-line no-useless-assignment -- read after the loop, set inside it
  let total = -1;
  for (let page = 1; ; page++) {
    const { status, body } = await list(
      sim,
      { page_size: 100, ...query, page_number: page },
      { pageId },
    );
    if (status !== 200) throw new Error(`page ${page}: HTTP ${status} ${JSON.stringify(body)}`);
    total = body.total;
    if (body.customers.length === 0) return { total, customers, calls: page };
    customers.push(...body.customers);
  }
}

export async function control(
  sim: Simulator,
  method: string,
  path: string,
  body?: unknown,
): Promise<Reply> {
  const init: RequestInit = { method };
  if (body !== undefined) init.body = typeof body === 'string' ? body : JSON.stringify(body);
  return reply(await fetch(`${sim.controlUrl}${path}`, init));
}

/** Naive UTC upstream string to ms epoch, fractions kept to the millisecond. */
export function naiveMs(text: string): number {
  const whole = Date.parse(`${text.slice(0, 19)}Z`);
  const fraction = text.length > 20 ? Number(text.slice(20, 23).padEnd(3, '0')) : 0;
  return whole + fraction;
}

export const seconds = (text: string): number => Math.floor(naiveMs(text) / 1000);
