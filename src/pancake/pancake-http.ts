import { Agent, request } from 'undici';

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
    readonly reason: 'refused' | 'connect-timeout' | 'timeout' | 'reset' | 'other',
    readonly sent: boolean,
  ) {
    super(`upstream ${reason}`);
  }
}

/** Per-call options of PancakeHttp.send. */
export interface SendOptions {
  /** Aborts the call; an abort after sending counts as sent (the upstream may act). */
  signal?: AbortSignal;
  /** Headers and body timeout of this call, when shorter than the agent's (a request deadline). */
  timeoutMs?: number;
}

export interface PancakeHttpOptions {
  timeoutMs: number;
  /** Bound on concurrent upstream connections per origin. */
  maxConnections: number;
}

/** Keep-alive HTTP to Pancake with bounded connect, headers and body timeouts. */
export class PancakeHttp {
  private readonly agent: Agent;

  constructor(options: PancakeHttpOptions) {
    this.agent = new Agent({
      connections: options.maxConnections,
      keepAliveTimeout: 10_000,
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
      connect: { timeout: Math.min(options.timeoutMs, 5_000) },
    });
  }

  /** Never throws with the URL in the message: the URL carries the page token. */
  async send(
    method: HttpMethod,
    url: URL,
    body?: unknown,
    options: SendOptions = {},
  ): Promise<UpstreamResponse> {
    const timeoutMs = options.timeoutMs === undefined ? undefined : Math.max(1, options.timeoutMs);
    try {
      const response = await request(url, {
        dispatcher: this.agent,
        method,
        signal: options.signal,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
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
  // An aborted signal (a deadline) rejects with its reason, a DOMException without a string code.
  const name = (error as { name?: unknown }).name;
  if (name === 'TimeoutError' || name === 'AbortError')
    return new UpstreamNetworkError('timeout', true);
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
    case 'UND_ERR_ABORTED':
    case 'ABORT_ERR':
      return new UpstreamNetworkError('timeout', true);
    default:
      return new UpstreamNetworkError('other', true);
  }
}
