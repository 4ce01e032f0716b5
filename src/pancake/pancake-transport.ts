import { Inject, Injectable } from '@nestjs/common';
import {
  countUpstreamCall,
  noteUpstreamFailure,
  timeLeftMs,
} from '../common/context/request-context.js';
import { ErrorCode } from '../common/errors/error-code.js';
import { GatewayError } from '../common/errors/gateway-error.js';
import { GatewayConfig } from '../config/gateway-config.js';
import { GatewayMetrics } from '../metrics/gateway-metrics.js';
import { NoConnectionShare } from './connection-permits.js';
import {
  PAGE_RATE_LIMITER,
  type PageRateLimiter,
  type SlotGrant,
} from './limiter/page-rate-limiter.js';
import {
  PancakeHttp,
  SlotMissedError,
  UpstreamAnswerTooLarge,
  UpstreamNetworkError,
  type HttpMethod,
  type UpstreamResponse,
} from './pancake-http.js';
import {
  backoffDelayMs,
  classifyResponse,
  isRetryable,
  networkFailure,
  toGatewayError,
  type UpstreamFailure,
  type UpstreamOperation,
} from './upstream-failure.js';

/** One logical upstream call, as an operation describes it; the transport adds the page token. */
export interface UpstreamCall {
  operation: UpstreamOperation;
  pageId: string;
  method: HttpMethod;
  /** Under PANCAKE_BASE_URL, its ids already checked (path-segments.ts). */
  path: string;
  query?: Record<string, string | number>;
  body?: unknown;
  /**
   * Whether this failure, after an earlier attempt that may have acted, shows that attempt
   * did: the call then counts as done (upstream answers nothing more than success anyway).
   */
  landedEarlier?: (failure: UpstreamFailure) => boolean;
  /**
   * 'background' (the mirror's sync): takes a rate-limit slot only when one is free now and
   * never queues, so a client request waits at most the one slot a sync request just took.
   * Refused, it fails with RATE_LIMITED at once (the caller waits and asks again).
   */
  priority?: 'client' | 'background';
}

/** Least time worth starting an upstream attempt with: a slot and an answer both take time. */
const MIN_SEND_MS = 50;
/**
 * Slots one attempt may take when its request keeps missing them (not sent: stalls or
 * connection waits past the slot). A miss is no retry; this many in a row mean the
 * process or its connections are overloaded, and the attempt then fails as "not sent"
 * (retried with backoff by the retry policy, which bounds the whole call).
 */
const MAX_SLOTS_PER_ATTEMPT = 3;

type AttemptResult = { body?: unknown; failure?: UpstreamFailure };

/**
 * The one way to Pancake: builds URLs with page tokens, takes the page's connection share
 * and rate-limit slot, sends within the request's deadline, retries what may be retried,
 * counts it all, and maps failures to gateway errors that never carry a token.
 */
@Injectable()
export class PancakeTransport {
  private readonly tokens: ReadonlyMap<string, string>;

  constructor(
    private readonly config: GatewayConfig,
    @Inject(PAGE_RATE_LIMITER) private readonly limiter: PageRateLimiter,
    private readonly http: PancakeHttp,
    private readonly metrics: GatewayMetrics,
  ) {
    this.tokens = config.pancake.pageTokens;
  }

  /**
   * The answer's body of one call: a limiter slot per attempt, retries with backoff, failures
   * mapped. Every wait fits in what is left of the request's deadline: a retry that cannot
   * start in time fails now with the last failure (RATE_LIMITED with upstream's hint after a 429).
   */
  async call(call: UpstreamCall): Promise<unknown> {
    const url = this.buildUrl(call);
    const { maxRetries, retryBaseMs } = this.config.pancake;
    let uncertainBefore = false;
    for (let attempt = 1; ; attempt += 1) {
      if (timeLeftMs() < MIN_SEND_MS) throw deadlinePassed(call);
      const result = await this.attempt(call, url);
      if (!result.failure) return result.body;
      const failure = result.failure;
      if (uncertainBefore && call.landedEarlier?.(failure)) return { success: true };
      if (failure.kind === 'rate-limited')
        await this.limiter.pause(call.pageId, failure.retryAfterMs ?? 1000);
      if (!isRetryable(failure, call.operation) || attempt > maxRetries) {
        throw this.errorFor(failure, call);
      }
      const delayMs = backoffDelayMs(attempt, retryBaseMs, failure.retryAfterMs);
      // The retry's own send needs time too: give up now rather than answer late.
      if (delayMs + MIN_SEND_MS > timeLeftMs()) throw this.errorFor(failure, call);
      uncertainBefore ||= failure.acted === 'unknown';
      this.metrics.upstreamRetries.inc({ operation: call.operation, reason: failure.kind });
      await sleep(delayMs);
    }
  }

  /** The gateway error for a failure of this call: the failure is its cause (see failureOf). */
  errorFor(
    failure: UpstreamFailure,
    call: Pick<UpstreamCall, 'operation' | 'pageId'>,
  ): GatewayError {
    const error = toGatewayError(failure, call.operation, call.pageId);
    return new GatewayError(error.code, this.redact(error.message), {
      details: error.details,
      retryAfterSeconds: error.retryAfterSeconds,
      cause: failure,
    });
  }

  /** Upstream text may echo anything it was sent: never let a page token through. */
  redact(text: string): string {
    let result = text;
    for (const token of this.tokens.values()) result = result.split(token).join('[redacted]');
    return result;
  }

  private buildUrl(call: UpstreamCall): URL {
    const token = this.tokens.get(call.pageId);
    if (!token)
      throw GatewayError.notFound(`Page ${call.pageId} is not configured on this gateway`);
    const url = new URL(`${this.config.pancake.baseUrl}${call.path}`);
    url.searchParams.set('page_access_token', token);
    for (const [name, value] of Object.entries(call.query ?? {}))
      url.searchParams.set(name, String(value));
    return url;
  }

  /**
   * One upstream request: the page's connection share first, then the rate-limit slot, so a
   * request never waits for a connection after its slot (it would leave late and crowd the
   * page's next window), and a page whose answers are slow can hold only its own share.
   */
  private async attempt(call: UpstreamCall, url: URL): Promise<AttemptResult> {
    const release = await this.connectionShare(call.pageId);
    try {
      return await this.attemptInSlot(call, url);
    } finally {
      release();
    }
  }

  /**
   * One attempt in a rate-limit slot. A request that could no longer leave in its slot
   * when it was about to be written was dropped unsent (SlotMissedError): it takes a
   * new slot, without counting as a retry, at most MAX_SLOTS_PER_ATTEMPT slots in all.
   */
  private async attemptInSlot(call: UpstreamCall, url: URL): Promise<AttemptResult> {
    for (let slots = 1; ; slots += 1) {
      const slot = await this.acquireSlot(call.pageId, call.priority ?? 'client');
      try {
        return await this.exchange(call, url, slot);
      } catch (error) {
        if (!(error instanceof SlotMissedError)) throw error;
        this.metrics.limiterMissedSlots.inc({ page: call.pageId });
        // Certainly not sent (acted: 'no'): the retry policy may send it again, even a note create.
        if (slots >= MAX_SLOTS_PER_ATTEMPT) return { failure: networkFailure(error) };
      }
    }
  }

  private async acquireSlot(pageId: string, priority: 'client' | 'background'): Promise<SlotGrant> {
    const left = timeLeftMs() - MIN_SEND_MS;
    const maxWaitMs =
      priority === 'background'
        ? 0
        : Math.min(this.config.pancake.rateLimitMaxWaitMs, Math.max(0, left));
    try {
      const slot = await this.limiter.acquire(pageId, { maxWaitMs });
      this.metrics.limiterWait.observe({ page: pageId }, slot.waitedMs / 1000);
      return slot;
    } catch (error) {
      // A background request refused a slot simply yields it to clients: not a rejection.
      if (
        priority === 'client' &&
        error instanceof GatewayError &&
        error.code === ErrorCode.RATE_LIMITED
      ) {
        this.metrics.limiterRejections.inc({ page: pageId });
      }
      throw error;
    }
  }

  private async connectionShare(pageId: string): Promise<() => void> {
    // A share that cannot come within the request's deadline is as good as none.
    const left = timeLeftMs() - MIN_SEND_MS;
    const signal = Number.isFinite(left) ? AbortSignal.timeout(Math.max(1, left)) : undefined;
    try {
      return await this.http.connectionShare(pageId, signal);
    } catch (error) {
      if (signal?.aborted)
        throw GatewayError.rateLimited(
          `No connection to Pancake for page ${pageId} became free within the request deadline; retry later`,
          1,
        );
      if (!(error instanceof NoConnectionShare)) throw error;
      // Nothing was sent: like a full slot queue, the page's upstream capacity is used up.
      this.metrics.limiterRejections.inc({ page: pageId });
      throw GatewayError.rateLimited(
        `Too many requests for page ${pageId} are waiting for Pancake (slow answers or its rate limit); retry later`,
        Math.max(1, Math.ceil(error.retryAfterMs / 1000)),
      );
    }
  }

  private async exchange(call: UpstreamCall, url: URL, slot: SlotGrant): Promise<AttemptResult> {
    const stopTimer = this.metrics.upstreamDuration.startTimer({ operation: call.operation });
    let response: UpstreamResponse;
    // Never wait for an answer past the request's deadline (undici's own timers are coarse).
    const left = timeLeftMs();
    const cut = left < this.config.pancake.requestTimeoutMs ? Math.max(1, left) : undefined;
    try {
      response = await this.http.send(call.method, url, call.body, {
        timeoutMs: cut,
        signal: cut === undefined ? undefined : AbortSignal.timeout(cut),
        gate: slot.mayDepart,
      });
    } catch (error) {
      stopTimer();
      // Never sent: attemptInSlot takes a new slot.
      if (error instanceof SlotMissedError) throw error;
      countUpstreamCall();
      if (error instanceof UpstreamAnswerTooLarge) {
        this.metrics.upstreamRequests.inc({ operation: call.operation, status: 'too_large' });
        // Not retried: the same request would get the same answer. It may have acted (a write).
        const upstreamMessage = `it was larger than ${error.limitBytes} bytes (PANCAKE_MAX_RESPONSE_BYTES)`;
        return { failure: { kind: 'unexpected', upstreamMessage, acted: 'unknown' } };
      }
      if (!(error instanceof UpstreamNetworkError)) throw error;
      this.metrics.upstreamRequests.inc({ operation: call.operation, status: 'network' });
      noteUpstreamFailure(error.detail ?? error.reason);
      return { failure: networkFailure(error) };
    }
    stopTimer();
    countUpstreamCall();
    this.metrics.upstreamRequests.inc({
      operation: call.operation,
      status: String(response.status),
    });
    const failure = classifyResponse(response);
    return failure ? { failure } : { body: response.body };
  }
}

function deadlinePassed(call: UpstreamCall): GatewayError {
  return GatewayError.upstream(
    `No time was left within the request deadline to ask Pancake (page ${call.pageId}); retry`,
    { retryAfterSeconds: 1 },
  );
}

/** A backoff on the global timer, so specs can run the schedule on fake timers. */
function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
