import { Agent, type Dispatcher, request } from 'undici';
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
 * A request that produced no HTTP answer. `sent` tells whether the upstream may have
 * acted: a refused or timed-out connect certainly did not reach it.
 */
export class UpstreamNetworkError extends Error {
  override name = 'UpstreamNetworkError';
  constructor(
    readonly reason: 'refused' | 'connect-timeout' | 'timeout' | 'reset' | 'slot-missed' | 'other',
    readonly sent: boolean,
  ) {
    super(`upstream ${reason}`);
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

export interface SendOptions {
  /**
   * Asked at the last synchronous point before the request is written to the socket
   * (see departure-gate.ts); false drops it unsent with SlotMissedError. The limiter's
   * SlotGrant.mayDepart: the page limit then holds at the moment requests leave.
   */
  gate?: () => boolean;
}

export interface PancakeHttpOptions {
  timeoutMs: number;
  /** Bound on concurrent upstream connections per origin. */
  maxConnections: number;
}

/** Keep-alive HTTP to Pancake with bounded connect, headers and body timeouts. */
export class PancakeHttp {
  private readonly agent: Agent;
  /** The agent with the departure gate in front: what requests are dispatched on. */
  private readonly dispatcher: Dispatcher;

  constructor(options: PancakeHttpOptions) {
    this.agent = new Agent({
      connections: options.maxConnections,
      keepAliveTimeout: 10_000,
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
      connect: { timeout: Math.min(options.timeoutMs, 5_000) },
    });
    this.dispatcher = this.agent.compose(departureGate());
  }

  /** Never throws with the URL in the message: the URL carries the page token. */
  async send(
    method: HttpMethod,
    url: URL,
    body?: unknown,
    options: SendOptions = {},
  ): Promise<UpstreamResponse> {
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
      });
      const text = await response.body.text();
      return {
        status: response.statusCode,
        retryAfterMs: parseRetryAfter(response.headers['retry-after']),
        body: parseJson(text),
      };
    } catch (error) {
      throw toNetworkError(error);
    }
  }

  async close(): Promise<void> {
    await this.agent.close();
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
  const code = (error as { code?: string }).code ?? '';
  switch (code) {
    case 'ECONNREFUSED':
      return new UpstreamNetworkError('refused', false);
    case 'UND_ERR_CONNECT_TIMEOUT':
      return new UpstreamNetworkError('connect-timeout', false);
    case 'UND_ERR_HEADERS_TIMEOUT':
    case 'UND_ERR_BODY_TIMEOUT':
      return new UpstreamNetworkError('timeout', true);
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
      return new UpstreamNetworkError('reset', true);
    default:
      return new UpstreamNetworkError('other', true);
  }
}
