import { Agent, request, type Dispatcher } from 'undici';
import { ConnectionPermits } from './connection-permits.js';
import {
  departureGate,
  DepartureRefusedError,
  type GatedDispatchOptions,
} from './departure-gate.js';

export type HttpMethod = 'GET' | 'PUT' | 'POST' | 'DELETE';

export interface UpstreamResponse {
  status: number;
  /** Retry-After in ms when the upstream sent one (seconds or an HTTP date). */
  retryAfterMs?: number;
  /** Parsed JSON, or undefined when the body was not JSON. */
  body: unknown;
}

/**
 * A request that produced no (complete) HTTP answer. `sent` tells whether the upstream may
 * have acted: a refused or timed-out connect certainly did not reach it.
 */
export class UpstreamNetworkError extends Error {
  override name = 'UpstreamNetworkError';
  constructor(
    readonly reason:
      | 'refused'
      | 'dns'
      | 'connect-timeout'
      | 'timeout'
      | 'reset'
      | 'aborted'
      | 'slot-missed'
      | 'other',
    readonly sent: boolean,
    /** What happened, for the caller's message when the reason alone says too little. */
    readonly detail?: string,
    options?: ErrorOptions,
  ) {
    super(`upstream ${detail ?? reason}`, options);
  }
}

/**
 * The send's gate refused it: the request was never written, so the upstream certainly
 * did not act (safe to send again, even a note create).
 */
export class SlotMissedError extends UpstreamNetworkError {
  override name = 'SlotMissedError';
  constructor() {
    super('slot-missed', false);
  }
}

/** A 2xx answer whose body is larger than the cap: refused unread, it would be as large again. */
export class UpstreamAnswerTooLarge extends Error {
  override name = 'UpstreamAnswerTooLarge';
  constructor(readonly limitBytes: number) {
    super(`upstream answer larger than ${limitBytes} bytes`);
  }
}

export interface PancakeHttpOptions {
  /** Headers timeout and the longest pause between body chunks. */
  timeoutMs: number;
  /** Connections to the upstream: the bound of requests in flight, every page together. */
  maxConnections: number;
  /** Requests one page may have in flight (default maxConnections: no separate share). */
  maxConnectionsPerPage?: number;
  /** Longest a request waits for its page's connection share (default timeoutMs). */
  connectionMaxWaitMs?: number;
  /** Requests one page may have waiting for a share; more are refused at once (default: no bound). */
  connectionMaxQueuedPerPage?: number;
  /** Longest a body may take once the headers arrived (undici's bodyTimeout is per chunk). */
  bodyDeadlineMs?: number;
  /** Largest body read; a larger 2xx answer fails, and no more than this is ever buffered. */
  maxResponseBytes?: number;
}

/** Per call: an abort the caller may fire, and a headers/body timeout of its own. */
export interface SendOptions {
  /** Aborting fails the call with UpstreamNetworkError('aborted', sent: true). */
  signal?: AbortSignal;
  /** Overrides the headers timeout and the per-chunk body timeout, and caps the body deadline. */
  timeoutMs?: number;
  /**
   * Asked at the last synchronous point before the request is written to the socket
   * (see departure-gate.ts); false drops it unsent with SlotMissedError. The limiter's
   * SlotGrant.mayDepart: the page limit then holds at the moment requests leave.
   */
  gate?: () => boolean;
}

export const DEFAULT_BODY_DEADLINE_MS = 5_000;
export const DEFAULT_MAX_RESPONSE_BYTES = 4 * 1024 * 1024;

/**
 * Keep-alive HTTP to Pancake with bounded connect, headers and body (time and bytes), and a
 * share of the connections per page (see ConnectionPermits).
 */
export class PancakeHttp {
  private readonly agent: Agent;
  /** The agent with the departure gate in front: what requests are dispatched on. */
  private readonly dispatcher: Dispatcher;
  private readonly permits: ConnectionPermits;
  private readonly bodyDeadlineMs: number;
  private readonly maxResponseBytes: number;

  constructor(options: PancakeHttpOptions) {
    this.agent = new Agent({
      connections: options.maxConnections,
      keepAliveTimeout: 10_000,
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
      connect: { timeout: Math.min(options.timeoutMs, 5_000) },
    });
    this.dispatcher = this.agent.compose(departureGate());
    this.permits = new ConnectionPermits({
      perPage: Math.min(
        options.maxConnectionsPerPage ?? options.maxConnections,
        options.maxConnections,
      ),
      total: options.maxConnections,
      maxWaitMs: options.connectionMaxWaitMs ?? options.timeoutMs,
      maxQueuedPerPage: options.connectionMaxQueuedPerPage,
    });
    this.bodyDeadlineMs = options.bodyDeadlineMs ?? DEFAULT_BODY_DEADLINE_MS;
    this.maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  }

  /**
   * Waits for one of the page's connection shares; call release() when the request is done.
   * Take it before the rate-limit slot: holding it, send() never queues for a connection.
   * Rejects with NoConnectionShare (queue full, or past the wait bound), or the signal's reason.
   */
  connectionShare(pageId: string, signal?: AbortSignal): Promise<() => void> {
    return this.permits.acquire(pageId, signal);
  }

  /** Never throws with the URL in the message: the URL carries the page token. */
  async send(
    method: HttpMethod,
    url: URL,
    body?: unknown,
    options: SendOptions = {},
  ): Promise<UpstreamResponse> {
    const { signal, timeoutMs } = options;
    try {
      const gated: Pick<GatedDispatchOptions, 'departureGate'> = { departureGate: options.gate };
      const response = await request(url, {
        ...gated,
        dispatcher: this.dispatcher,
        method,
        headers:
          body === undefined
            ? { accept: 'application/json' }
            : { accept: 'application/json', 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal,
        ...(timeoutMs === undefined ? {} : { headersTimeout: timeoutMs, bodyTimeout: timeoutMs }),
      });
      const text = await this.readBody(
        response,
        Math.min(this.bodyDeadlineMs, timeoutMs ?? Infinity),
      );
      return {
        status: response.statusCode,
        retryAfterMs: parseRetryAfter(response.headers['retry-after']),
        body: text === undefined ? undefined : parseJson(text),
      };
    } catch (error) {
      if (error instanceof UpstreamAnswerTooLarge || error instanceof UpstreamNetworkError)
        throw error;
      // Refused by the gate: never written, whatever the signal did meanwhile.
      if (error instanceof DepartureRefusedError) throw new SlotMissedError();
      if (signal?.aborted)
        throw new UpstreamNetworkError('aborted', true, undefined, { cause: signal.reason });
      throw toNetworkError(error);
    }
  }

  async close(): Promise<void> {
    await this.agent.close();
  }

  /**
   * The body as text, counted as it streams: past the cap, a 2xx fails (its JSON is what the
   * caller needs) and an error answer is dropped (its status says enough: undefined).
   */
  private async readBody(
    response: Dispatcher.ResponseData,
    deadlineMs: number,
  ): Promise<string | undefined> {
    const ok = response.statusCode >= 200 && response.statusCode < 300;
    const stream = response.body;
    const tooLarge = (): undefined => {
      stream.destroy();
      if (ok) throw new UpstreamAnswerTooLarge(this.maxResponseBytes);
      return undefined;
    };
    if (Number(response.headers['content-length']) > this.maxResponseBytes) return tooLarge();
    const timer = setTimeout(() => {
      const detail = `answer body not complete within ${deadlineMs} ms`;
      stream.destroy(new UpstreamNetworkError('timeout', true, detail));
    }, deadlineMs);
    const chunks: Buffer[] = [];
    let bytes = 0;
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        bytes += chunk.length;
        if (bytes > this.maxResponseBytes) return tooLarge();
        chunks.push(chunk);
      }
    } finally {
      clearTimeout(timer);
    }
    return Buffer.concat(chunks, bytes).toString('utf8');
  }
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

export function parseRetryAfter(
  value: string | string[] | undefined,
  now = Date.now(),
): number | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  if (!raw) return undefined;
  if (/^\d+(\.\d+)?$/.test(raw.trim())) return Math.round(Number(raw) * 1000);
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function toNetworkError(error: unknown): UpstreamNetworkError {
  if (error instanceof DepartureRefusedError) return new SlotMissedError();
  // An aborted signal (a deadline) rejects with its reason, a DOMException without a string code.
  const name = (error as { name?: unknown }).name;
  if (name === 'TimeoutError' || name === 'AbortError')
    return new UpstreamNetworkError('timeout', true);
  const { code, hostname } = systemErrorOf(error);
  switch (code) {
    case 'ECONNREFUSED':
      return new UpstreamNetworkError('refused', false, 'connection refused (ECONNREFUSED)');
    // No address for the host: nothing was sent. Named, so an operator sees a wrong base URL.
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new UpstreamNetworkError(
        'dns',
        false,
        `DNS lookup of ${hostname ?? 'the upstream host'} failed (${code})`,
      );
    case 'UND_ERR_CONNECT_TIMEOUT':
      return new UpstreamNetworkError('connect-timeout', false);
    case 'UND_ERR_HEADERS_TIMEOUT':
    case 'UND_ERR_BODY_TIMEOUT':
      return new UpstreamNetworkError('timeout', true);
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
      return new UpstreamNetworkError('reset', true);
    case 'UND_ERR_ABORTED':
    case 'ABORT_ERR':
      return new UpstreamNetworkError('timeout', true);
    default:
      // The code only (EHOSTUNREACH, ...): a message could quote the URL and its token.
      return new UpstreamNetworkError('other', true, code ? `network error ${code}` : undefined);
  }
}

/** The system error's code and host, from the error or the cause it wraps. */
function systemErrorOf(error: unknown): { code?: string; hostname?: string } {
  let current: unknown = error;
  for (let depth = 0; current && depth < 4; depth++) {
    const { code, hostname, cause } = current as {
      code?: unknown;
      hostname?: unknown;
      cause?: unknown;
    };
    if (typeof code === 'string' && code !== 'UND_ERR' && !code.startsWith('ERR_'))
      return { code, hostname: typeof hostname === 'string' ? hostname : undefined };
    current = cause;
  }
  return {};
}
