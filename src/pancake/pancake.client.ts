import { Inject, Injectable, Logger } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { currentRequestContext, timeLeftMs } from '../common/context/request-context.js';
import { ErrorCode } from '../common/errors/error-code.js';
import { GatewayError } from '../common/errors/gateway-error.js';
import { GatewayConfig } from '../config/gateway-config.js';
import { GatewayMetrics } from '../metrics/gateway-metrics.js';
import { buildAvatarUrl } from './avatar-url.js';
import { mapCustomerListPage, toRawChanges, toRawListParams } from './customer.mapper.js';
import {
  PAGE_RATE_LIMITER,
  type PageRateLimiter,
  type SlotGrant,
} from './limiter/page-rate-limiter.js';
import { NoConnectionShare } from './connection-permits.js';
import {
  HttpMethod,
  PancakeHttp,
  SlotMissedError,
  UpstreamAnswerTooLarge,
  UpstreamNetworkError,
  type UpstreamResponse,
} from './pancake-http.js';
import type {
  CustomerChanges,
  CustomerListPage,
  CustomerListQuery,
  CustomerRecord,
} from './pancake.model.js';
import { assertCustomerId, assertNoteId, assertPageId } from './path-segments.js';
import {
  backoffDelayMs,
  classifyResponse,
  isRetryable,
  networkFailure,
  toGatewayError,
  type UpstreamFailure,
  type UpstreamOperation,
} from './upstream-failure.js';
import { checkListAnswer, formatProblem } from './upstream-answer.validator.js';

/** Where a customer sits in upstream's list: enough to read it fresh (no get-by-id upstream). */
export interface CustomerLocator {
  id: string;
  insertedAt: Date;
}

const FIND_PAGE_SIZE = 100;
/** Least time worth starting an upstream attempt with: a slot and an answer both take time. */
const MIN_SEND_MS = 50;
/** Seconds each side of inserted_at to read when looking one customer up. */
const FIND_WINDOW_SECONDS = 1;
/** Pages read at most in one narrow-window lookup (100 customers inserted in the same 3 s each). */
export const FIND_MAX_PAGES = 5;
/**
 * Slots one attempt may take when its request keeps missing them (not sent: stalls or
 * connection waits past the slot). A miss is no retry; this many in a row mean the
 * process or its connections are overloaded, and the attempt then fails as "not sent"
 * (retried with backoff by the retry policy, which bounds the whole call).
 */
const MAX_SLOTS_PER_ATTEMPT = 3;

interface CallSpec {
  operation: UpstreamOperation;
  pageId: string;
  method: HttpMethod;
  path: string;
  query?: Record<string, string | number>;
  body?: unknown;
}

/**
 * The one way to Pancake: builds URLs, holds page tokens, waits on the per-page rate
 * limiter, retries what may be retried and maps upstream failures to gateway errors.
 */
@Injectable()
export class PancakeClient {
  private readonly tokens: ReadonlyMap<string, string>;
  private readonly logger = new Logger(PancakeClient.name);

  constructor(
    private readonly config: GatewayConfig,
    @Inject(PAGE_RATE_LIMITER) private readonly limiter: PageRateLimiter,
    private readonly http: PancakeHttp,
    private readonly metrics: GatewayMetrics,
  ) {
    this.tokens = config.pancake.pageTokens;
  }

  /** Whether the gateway holds a token for this page. */
  hasPage(pageId: string): boolean {
    return this.tokens.has(pageId);
  }

  configuredPages(): string[] {
    return [...this.tokens.keys()];
  }

  avatarUrl(pageId: string, psid: string): string {
    return buildAvatarUrl(this.config.pancake.avatarBaseUrl, pageId, psid);
  }

  async listCustomers(pageId: string, query: CustomerListQuery): Promise<CustomerListPage> {
    const spec: CallSpec = {
      operation: 'list',
      pageId,
      method: 'GET',
      path: `/pages/${assertPageId(pageId)}/page_customers`,
      query: { ...toRawListParams(query) },
    };
    const checked = checkListAnswer(await this.call(spec));
    if (checked.ok) return mapCustomerListPage(checked.value, pageId);
    // Not retried: an answer of the wrong shape is a contract break, not a passing fault.
    const problems = checked.problems.map((p) => this.redact(formatProblem(p)));
    this.logger.warn({
      msg: 'Pancake answer refused: not the expected shape',
      pageId,
      operation: spec.operation,
      problems,
      moreProblems: checked.more,
      shape: this.redact(checked.shape),
    });
    const first = checked.problems[0];
    throw this.errorFor(
      {
        kind: 'unexpected',
        status: 200,
        upstreamMessage: `it did not have the expected shape (${first ? `${first.path}: ${first.rule}` : 'invalid'})`,
        acted: 'no',
      },
      spec,
    );
  }

  /** A fresh read of one customer: the narrow window around its inserted_at. Null when absent. */
  async findCustomer(pageId: string, locator: CustomerLocator): Promise<CustomerRecord | null> {
    const seconds = Math.floor(locator.insertedAt.getTime() / 1000);
    for (let pageNumber = 1; pageNumber <= FIND_MAX_PAGES; pageNumber += 1) {
      const page = await this.listCustomers(pageId, {
        since: new Date((seconds - FIND_WINDOW_SECONDS) * 1000),
        until: new Date((seconds + FIND_WINDOW_SECONDS) * 1000),
        pageNumber,
        pageSize: FIND_PAGE_SIZE,
        orderBy: 'inserted_at',
      });
      const found = page.customers.find((c) => c.id === locator.id);
      if (found) return found;
      if (page.customers.length < FIND_PAGE_SIZE || pageNumber * FIND_PAGE_SIZE >= page.total)
        return null;
    }
    return null;
  }

  /** Sends only the validated fields; upstream answers nothing but success. */
  async updateCustomer(
    pageId: string,
    customerId: string,
    changes: CustomerChanges,
  ): Promise<void> {
    await this.call({
      operation: 'update',
      pageId,
      method: 'PUT',
      path: `/pages/${assertPageId(pageId)}/page_customers/${assertCustomerId(customerId)}`,
      body: { changes: toRawChanges(changes) },
    });
  }

  /**
   * Sends one note. Upstream's POST is not idempotent and answers no id: it is re-sent only
   * when upstream certainly did not act; the caller reads the customer to find the note, and
   * verifies (never re-sends) when the outcome is unknown (see isInFlightWrite).
   */
  async postNote(pageId: string, customerId: string, message: string): Promise<void> {
    await this.call({
      operation: 'note_create',
      pageId,
      method: 'POST',
      path: `/pages/${assertPageId(pageId)}/page_customers/${assertCustomerId(customerId, 'customerId')}/notes`,
      body: { message },
    });
  }

  async updateNote(
    pageId: string,
    customerId: string,
    noteId: string,
    message: string,
  ): Promise<void> {
    await this.call({
      operation: 'note_update',
      pageId,
      method: 'PUT',
      path: `/pages/${assertPageId(pageId)}/page_customers/${assertCustomerId(customerId, 'customerId')}/notes`,
      body: { note_id: noteIdOf(noteId), message },
    });
  }

  async deleteNote(pageId: string, customerId: string, noteId: string): Promise<void> {
    await this.call({
      operation: 'note_delete',
      pageId,
      method: 'DELETE',
      path: `/pages/${assertPageId(pageId)}/page_customers/${assertCustomerId(customerId, 'customerId')}/notes`,
      body: { note_id: noteIdOf(noteId) },
    });
  }

  private tokenFor(pageId: string): string {
    const token = this.tokens.get(pageId);
    if (!token) throw GatewayError.notFound(`Page ${pageId} is not configured on this gateway`);
    return token;
  }

  private buildUrl(spec: CallSpec): URL {
    const url = new URL(`${this.config.pancake.baseUrl}${spec.path}`);
    url.searchParams.set('page_access_token', this.tokenFor(spec.pageId));
    for (const [name, value] of Object.entries(spec.query ?? {}))
      url.searchParams.set(name, String(value));
    return url;
  }

  /**
   * One logical call: limiter slot per attempt, retries with backoff, failures mapped. Every
   * wait fits in what is left of the request's deadline: a retry that cannot start in time
   * fails now with the last failure (RATE_LIMITED with upstream's hint after a 429).
   */
  private async call(spec: CallSpec): Promise<unknown> {
    const url = this.buildUrl(spec);
    const { maxRetries, retryBaseMs } = this.config.pancake;
    let uncertainBefore = false;
    for (let attempt = 1; ; attempt += 1) {
      if (timeLeftMs() < MIN_SEND_MS) throw deadlinePassed(spec);
      const failure = await this.attempt(spec, url);
      if (!failure.failure) return failure.body;
      const current = failure.failure;
      // A delete whose earlier attempt may have landed: "unknown note" now means it did.
      if (
        spec.operation === 'note_delete' &&
        uncertainBefore &&
        (current.kind === 'bad-request' || current.kind === 'not-found')
      ) {
        return { success: true };
      }
      if (current.kind === 'rate-limited')
        await this.limiter.pause(spec.pageId, current.retryAfterMs ?? 1000);
      if (!isRetryable(current, spec.operation) || attempt > maxRetries) {
        throw this.errorFor(current, spec);
      }
      const delayMs = backoffDelayMs(attempt, retryBaseMs, current.retryAfterMs);
      // The retry's own send needs time too: give up now rather than answer late.
      if (delayMs + MIN_SEND_MS > timeLeftMs()) throw this.errorFor(current, spec);
      uncertainBefore ||= current.acted === 'unknown';
      this.metrics.upstreamRetries.inc({ operation: spec.operation, reason: current.kind });
      await sleep(delayMs);
    }
  }

  private async acquireSlot(pageId: string): Promise<SlotGrant> {
    const left = timeLeftMs() - MIN_SEND_MS;
    const maxWaitMs = Math.min(this.config.pancake.rateLimitMaxWaitMs, Math.max(0, left));
    try {
      const slot = await this.limiter.acquire(pageId, { maxWaitMs });
      this.metrics.limiterWait.observe({ page: pageId }, slot.waitedMs / 1000);
      return slot;
    } catch (error) {
      if (error instanceof GatewayError && error.code === ErrorCode.RATE_LIMITED) {
        this.metrics.limiterRejections.inc({ page: pageId });
      }
      throw error;
    }
  }

  /**
   * One upstream request: the page's connection share first, then the rate-limit slot, so a
   * request never waits for a connection after its slot (it would leave late and crowd the
   * page's next window), and a page whose answers are slow can hold only its own share.
   */
  private async attempt(
    spec: CallSpec,
    url: URL,
  ): Promise<{ body?: unknown; failure?: UpstreamFailure }> {
    const release = await this.connectionShare(spec.pageId);
    try {
      return await this.attemptInSlot(spec, url);
    } finally {
      release();
    }
  }

  /**
   * One attempt in a rate-limit slot. A request that could no longer leave in its slot
   * when it was about to be written was dropped unsent (SlotMissedError): it takes a
   * new slot, without counting as a retry, at most MAX_SLOTS_PER_ATTEMPT slots in all.
   */
  private async attemptInSlot(
    spec: CallSpec,
    url: URL,
  ): Promise<{ body?: unknown; failure?: UpstreamFailure }> {
    for (let slots = 1; ; slots += 1) {
      const slot = await this.acquireSlot(spec.pageId);
      try {
        return await this.exchange(spec, url, slot);
      } catch (error) {
        if (!(error instanceof SlotMissedError)) throw error;
        this.metrics.limiterMissedSlots.inc({ page: spec.pageId });
        // Certainly not sent (acted: 'no'): the retry policy may send it again, even a note create.
        if (slots >= MAX_SLOTS_PER_ATTEMPT) return { failure: networkFailure(error) };
      }
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

  private async exchange(
    spec: CallSpec,
    url: URL,
    slot: SlotGrant,
  ): Promise<{ body?: unknown; failure?: UpstreamFailure }> {
    const stopTimer = this.metrics.upstreamDuration.startTimer({ operation: spec.operation });
    let response: UpstreamResponse;
    // Never wait for an answer past the request's deadline (undici's own timers are coarse).
    const left = timeLeftMs();
    const cut = left < this.config.pancake.requestTimeoutMs ? Math.max(1, left) : undefined;
    try {
      response = await this.http.send(spec.method, url, spec.body, {
        timeoutMs: cut,
        signal: cut === undefined ? undefined : AbortSignal.timeout(cut),
        gate: slot.mayDepart,
      });
    } catch (error) {
      stopTimer();
      // Never sent: attemptInSlot takes a new slot.
      if (error instanceof SlotMissedError) throw error;
      this.countSent();
      if (error instanceof UpstreamAnswerTooLarge) {
        this.metrics.upstreamRequests.inc({ operation: spec.operation, status: 'too_large' });
        // Not retried: the same request would get the same answer. It may have acted (a write).
        const upstreamMessage = `it was larger than ${error.limitBytes} bytes (PANCAKE_MAX_RESPONSE_BYTES)`;
        return { failure: { kind: 'unexpected', upstreamMessage, acted: 'unknown' } };
      }
      if (!(error instanceof UpstreamNetworkError)) throw error;
      this.metrics.upstreamRequests.inc({ operation: spec.operation, status: 'network' });
      return { failure: networkFailure(error) };
    }
    stopTimer();
    this.countSent();
    this.metrics.upstreamRequests.inc({
      operation: spec.operation,
      status: String(response.status),
    });
    const failure = classifyResponse(response);
    return failure ? { failure } : { body: response.body };
  }

  /** One request that reached (or may have reached) Pancake, for the request's log line. */
  private countSent(): void {
    const requestContext = currentRequestContext();
    if (requestContext) requestContext.upstreamCalls += 1;
  }

  private errorFor(failure: UpstreamFailure, spec: CallSpec): GatewayError {
    const error = toGatewayError(failure, spec.operation, spec.pageId);
    const message = this.redact(error.message);
    return new GatewayError(error.code, message, {
      details: error.details,
      retryAfterSeconds: error.retryAfterSeconds,
      cause: failure,
    });
  }

  /** Upstream text may echo anything it was sent: never let a page token through. */
  private redact(text: string): string {
    let result = text;
    for (const token of this.tokens.values()) result = result.split(token).join('[redacted]');
    return result;
  }
}

/**
 * A write that got no answer after it may have reached Pancake: it may still land later, so
 * it must not be re-sent until it can no longer land or its effect is seen.
 */
export function isInFlightWrite(error: unknown): boolean {
  return failureOf(error)?.inFlight === true;
}

export function failureOf(error: unknown): UpstreamFailure | null {
  if (!(error instanceof GatewayError)) return null;
  const cause = error.cause as UpstreamFailure | undefined;
  return cause && typeof cause === 'object' && 'kind' in cause && 'acted' in cause ? cause : null;
}

function deadlinePassed(spec: CallSpec): GatewayError {
  return GatewayError.upstream(
    `No time was left within the request deadline to ask Pancake (page ${spec.pageId}); retry`,
    { retryAfterSeconds: 1 },
  );
}

function noteIdOf(noteId: string): string {
  assertNoteId(noteId);
  return noteId;
}
