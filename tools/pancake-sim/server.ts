// startSimulator: wires store, log, rate window and faults behind one node:http server.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FaultSpec, Simulator, SimulatorOptions, SimulatorPage } from './types.js';
import { SimStore } from './store.js';
import { RequestLog } from './request-log.js';
import { RateWindow } from './rate-window.js';
import { FaultQueue } from './faults.js';
import { Delays, send } from './http-io.js';
import { API_PREFIX, AVATAR_PREFIX, CONTROL_PREFIX, matchRoute } from './routes.js';
import { type ApiContext, handleApi, handleAvatar } from './api-handler.js';
import { handleControl } from './control-handler.js';

export const HOST = '127.0.0.1';
export const DEFAULT_PAGES = ['111', '222', '333'];
export const DEFAULT_CUSTOMERS = 250;
/** Pages after the first get min(customers, OTHER_PAGE_CAP) customers unless customersByPage says otherwise. */
export const OTHER_PAGE_CAP = 50;

export const tokenOf = (pageId: string): string => `sim-token-${pageId}`;

/** Customer count per page: the first gets `customers`, the others min(customers, 50); overrides win. */
export function pageCounts(options: SimulatorOptions): { pageId: string; customers: number }[] {
  const pages = options.pages ?? DEFAULT_PAGES;
  const customers = options.customers ?? DEFAULT_CUSTOMERS;
  return pages.map((pageId, index) => ({
    pageId,
    customers:
      options.customersByPage?.[pageId] ??
      (index === 0 ? customers : Math.min(customers, OTHER_PAGE_CAP)),
  }));
}

function validate(options: SimulatorOptions): void {
  const pages = options.pages ?? DEFAULT_PAGES;
  if (pages.length === 0) throw new Error('pages must not be empty');
  if (new Set(pages).size !== pages.length) throw new Error('pages must not repeat');
  // Digits only, as the gateway's PANCAKE_PAGE_TOKENS parser requires.
  for (const p of pages) if (!/^\d{1,32}$/.test(p)) throw new Error(`page id must be digits: ${p}`);
  for (const { pageId, customers } of pageCounts(options))
    if (!Number.isInteger(customers) || customers < 0)
      throw new Error(`customers for page ${pageId} must be an integer >= 0`);
  const limit = options.rateLimitPerSecond ?? 5;
  if (!(limit >= 1)) throw new Error('rateLimitPerSecond must be >= 1 (Infinity disables)');
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  validate(options);
  const now = options.now ?? Date.now;
  const store = new SimStore({ seed: options.seed ?? 1, pages: pageCounts(options), now });
  const log = new RequestLog(options.logLimit ?? 100_000);
  const faults = new FaultQueue();
  const delays = new Delays();
  const pages: SimulatorPage[] = store
    .pageIds()
    .map((pageId) => ({ pageId, token: tokenOf(pageId) }));
  let closing = false;
  let closed: Promise<void> | undefined;
  const api: ApiContext = {
    store,
    log,
    faults,
    delays,
    now,
    window: new RateWindow(options.rateLimitPerSecond ?? 5),
    latencyMs: options.latencyMs ?? 0,
    tokenOf,
    isClosing: () => closing,
  };
  const requestLog = (pageId?: string) => log.list(pageId);
  const control = { store, faults, pages, requestLog, clearLog: () => log.clear() };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', `http://${HOST}`);
    const route = matchRoute(req.method ?? '', url.pathname);
    const work =
      route.kind === 'api'
        ? handleApi(api, req, res, url, route)
        : route.kind === 'avatar'
          ? handleAvatar(api, req, res, url, route)
          : route.kind === 'control'
            ? handleControl(control, req, res, url, route.segments)
            : Promise.resolve(
                send(res, {
                  status: 404,
                  body: { success: false, message: 'Not found', error_code: 404 },
                }),
              );
    work.catch((err: unknown) => {
      const message = err instanceof Error ? err.message : String(err);
      send(res, {
        status: 500,
        body: { success: false, message: `Simulator error: ${message}`, error_code: 500 },
      });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, HOST, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://${HOST}:${port}`;

  return {
    url: `${origin}${API_PREFIX}`,
    avatarBaseUrl: `${origin}${AVATAR_PREFIX}`,
    controlUrl: `${origin}${CONTROL_PREFIX}`,
    port,
    pages,
    pageTokensEnv: pages.map((p) => `${p.pageId}=${p.token}`).join(','),
    requestLog,
    clearLog: () => log.clear(),
    injectFault: (fault: FaultSpec) => faults.add(fault),
    clearFaults: () => faults.clear(),
    store,
    close: () => {
      // Idempotent: every caller waits for the same shutdown.
      closed ??= new Promise<void>((resolve) => {
        closing = true;
        delays.releaseAll();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closed;
    },
  };
}
