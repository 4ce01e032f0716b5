import { Agent, buildConnector, request } from 'undici';
import { parseRetryAfter } from '../pancake/pancake-http.js';
import { DELIVERY_TIMEOUT_MS } from './delivery-schedule.policy.js';
import { TargetRefusedError, publicOnlyLookup } from './target-lookup.js';
import { hostOf, ipLiteralOf, isPublicAddress } from './webhook-target.policy.js';

export interface WebhookRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** What one attempt came to: the status, or why there was none. */
export interface AttemptResult {
  status: number | null;
  /** Short, secret-free: 'timeout', 'target refused', 'ECONNREFUSED', ... */
  error: string | null;
  durationMs: number;
  /** A failing answer's Retry-After, ms. */
  retryAfterMs?: number;
}

/** Idle keep-alive sockets to receivers: reused by the next delivery, closed soon after. */
const KEEP_ALIVE_MS = 4000;

/**
 * Sends webhook requests: POST, no redirects followed (undici's request follows none),
 * 15 s for the whole exchange, and, unless private targets are allowed, only to public
 * addresses: IP literals checked before connecting, names through a lookup that refuses
 * private answers, and the socket's peer address checked once connected.
 */
export class WebhookSender {
  private readonly agent: Agent;

  constructor(private readonly allowPrivateTargets: boolean) {
    const connect = buildConnector({
      timeout: DELIVERY_TIMEOUT_MS,
      ...(allowPrivateTargets ? {} : { lookup: publicOnlyLookup }),
    });
    this.agent = new Agent({
      keepAliveTimeout: KEEP_ALIVE_MS,
      headersTimeout: DELIVERY_TIMEOUT_MS,
      bodyTimeout: DELIVERY_TIMEOUT_MS,
      connect: allowPrivateTargets
        ? connect
        : (options, callback) =>
            connect(options, (error, socket) => {
              if (error || !socket) return callback(error ?? new Error('no socket'), null);
              // The address actually connected to: the last word, whatever resolved it.
              if (!isPublicAddress(socket.remoteAddress ?? '')) {
                socket.destroy();
                return callback(new TargetRefusedError(options.hostname), null);
              }
              callback(null, socket);
            }),
    });
  }

  async send(target: WebhookRequest): Promise<AttemptResult> {
    const started = performance.now();
    const elapsed = (): number => Math.round(performance.now() - started);
    if (!this.allowPrivateTargets) {
      // An IP literal skips the lookup hook: refuse it before any connection is opened.
      const literal = ipLiteralOf(hostOf(target.url));
      if (literal && !isPublicAddress(literal))
        return { status: null, error: 'target refused', durationMs: elapsed() };
    }
    try {
      const response = await request(target.url, {
        method: 'POST',
        headers: target.headers,
        body: target.body,
        dispatcher: this.agent,
        signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
      });
      await response.body.dump();
      const failed = response.statusCode < 200 || response.statusCode >= 300;
      return {
        status: response.statusCode,
        error: null,
        durationMs: elapsed(),
        retryAfterMs: failed ? parseRetryAfter(response.headers['retry-after']) : undefined,
      };
    } catch (error) {
      return { status: null, error: describe(error), durationMs: elapsed() };
    }
  }

  close(): Promise<void> {
    return this.agent.close();
  }
}

/** A failure in a few words, never the URL (its path or query may carry a receiver's token). */
function describe(error: unknown): string {
  const chain: unknown[] = [error, (error as { cause?: unknown })?.cause];
  for (const e of chain) {
    if (e instanceof TargetRefusedError) return 'target refused';
    const code = (e as { code?: unknown })?.code;
    if (code === 'WEBHOOK_TARGET_REFUSED') return 'target refused';
    const name = (e as { name?: unknown })?.name;
    if (name === 'TimeoutError' || name === 'AbortError') return 'timeout';
    if (typeof code === 'string' && code.includes('TIMEOUT')) return 'timeout';
    if (typeof code === 'string') return code;
  }
  return 'network error';
}
