// The simulator's public types: options, the handle returned by startSimulator, log entries, faults.
import type { SimStore } from './store.js';

/** Operations of the Pancake API as the simulator classifies requests. */
export type Operation =
  'list' | 'update' | 'note_create' | 'note_update' | 'note_delete' | 'avatar' | 'unknown';

/** The operations a fault can target ('unknown' routes answer 404 before faults apply). */
export type FaultOperation = Exclude<Operation, 'unknown'>;

export type FaultKind = 'status' | 'success-false' | 'latency' | 'reset';

export interface FaultSpec {
  /** Only requests to this page; default any page. */
  pageId?: string;
  /** Only this operation; default any operation except 'avatar' (avatar only when named). */
  operation?: FaultOperation;
  /** Only writes to this customer (page_customer_id); lists never match a customer fault. */
  customerId?: string;
  /** How many matching requests this fault answers before it is used up. */
  count: number;
  kind: FaultKind;
  /** For 'status': the HTTP status (default 500). */
  status?: number;
  /** error_code in the body (default: the status for 'status', 100 for 'success-false'). */
  errorCode?: number;
  /** For 'latency': extra delay before the real answer (default 1000 ms). */
  latencyMs?: number;
  /** Adds a Retry-After header (seconds) to the fault answer. */
  retryAfterSeconds?: number;
  /** Apply the operation to the store first, then send the fault answer (an answer lost after the upstream acted). */
  afterAction?: boolean;
}

export interface RequestLogEntry {
  pageId: string;
  method: string;
  /** Path without the query string: never contains the token. */
  path: string;
  operation: Operation;
  /** Clock ms (Date.now() unless options.now is injected) when the request arrived. */
  receivedAt: number;
  /** HTTP status answered; 0 while in flight or when the socket was reset without an answer. */
  status: number;
  /** error_code of a `success:false` body. */
  errorCode?: number;
  /** Whether this request counted toward the page's rate-limit window. */
  counted: boolean;
  /** The kind of injected fault that answered or delayed this request. */
  fault?: FaultKind;
}

export interface SimulatorOptions {
  /** 0 (default) = a random free port; the host is always 127.0.0.1. */
  port?: number;
  /** PRNG seed of the generated data (default 1). */
  seed?: number;
  /** Customers of the first page (default 250). */
  customers?: number;
  /** Page ids, digits (default ['111', '222', '333']); pages after the first get min(customers, 50). */
  pages?: string[];
  /** Exact customer counts for some pages, overriding the default split. */
  customersByPage?: Record<string, number>;
  /** Per page, requests admitted in any 1000 ms window (default 5; Infinity disables the limit). */
  rateLimitPerSecond?: number;
  /** Base delay added before every Pancake API answer (default 0; the avatar route is not delayed). */
  latencyMs?: number;
  /** The clock in ms epoch (default Date.now): arrival times, rate window, updated_at, note times. */
  now?: () => number;
  /** Log entries kept, oldest dropped first (default 100000). */
  logLimit?: number;
}

export interface SimulatorPage {
  pageId: string;
  token: string;
}

export interface Simulator {
  /** API base, e.g. http://127.0.0.1:PORT/api/public_api/v1 (PANCAKE_BASE_URL). */
  url: string;
  /** e.g. http://127.0.0.1:PORT/api/v1 (PANCAKE_AVATAR_BASE_URL). */
  avatarBaseUrl: string;
  /** e.g. http://127.0.0.1:PORT/__sim */
  controlUrl: string;
  port: number;
  pages: SimulatorPage[];
  /** '111=sim-token-111,222=sim-token-222,...' for PANCAKE_PAGE_TOKENS. */
  pageTokensEnv: string;
  requestLog(pageId?: string): RequestLogEntry[];
  clearLog(): void;
  injectFault(fault: FaultSpec): void;
  clearFaults(): void;
  store: SimStore;
  close(): Promise<void>;
}
