import { Inject, Injectable } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { currentRequestContext } from '../common/context/request-context.js';
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
import {
  HttpMethod,
  PancakeHttp,
  SlotMissedError,
  UpstreamNetworkError,
  type UpstreamResponse,
} from './pancake-http.js';
import type {
  CustomerChanges,
  CustomerListPage,
  CustomerListQuery,
  CustomerRecord,
  NoteRecord,
} from './pancake.model.js';
import type { RawListResponse } from './pancake.raw.js';
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

/** Where a customer sits in upstream's list: enough to read it fresh (no get-by-id upstream). */
export interface CustomerLocator {
  id: string;
  insertedAt: Date;
}

const FIND_PAGE_SIZE = 100;
/** Seconds each side of inserted_at to read when looking one customer up. */
const FIND_WINDOW_SECONDS = 1;
/** Pages read at most in one narrow-window lookup (100 customers inserted in the same 3 s each). */
const FIND_MAX_PAGES = 5;
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
    const body = await this.call({
      operation: 'list',
      pageId,
      method: 'GET',
      path: `/pages/${assertPageId(pageId)}/page_customers`,
      query: { ...toRawListParams(query) },
    });
    return mapCustomerListPage(body as RawListResponse, pageId);
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
   * Creates a note and returns it as upstream stored it. Upstream's POST is not idempotent
   * and returns no id: after an attempt whose outcome is unknown, read the customer before
   * trying again, and find the new note by diffing note ids against a read made before.
   */
  async createNote(pageId: string, locator: CustomerLocator, message: string): Promise<NoteRecord> {
    const path = `/pages/${assertPageId(pageId)}/page_customers/${assertCustomerId(locator.id, 'customerId')}/notes`;
    const before = await this.findCustomer(pageId, locator);
    if (!before) throw GatewayError.notFound(`Customer not found on page ${pageId}`);
    const knownIds = new Set(before.notes.map((n) => n.id));
    const findCreated = async (): Promise<NoteRecord | null> => {
      const after = await this.findCustomer(pageId, locator);
      const created = (after?.notes ?? []).filter((n) => !knownIds.has(n.id));
      // Newest first; prefer the exact message (a dashboard edit could add another note meanwhile).
      created.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
      return created.find((n) => n.message === message) ?? null;
    };
    for (let round = 1; ; round += 1) {
      try {
        await this.call({
          operation: 'note_create',
          pageId,
          method: 'POST',
          path,
          body: { message },
        });
        break;
      } catch (error) {
        const failure = failureOf(error);
        if (!failure || failure.acted !== 'unknown') throw error;
        const created = await findCreated();
        if (created) return created;
        if (round > this.config.pancake.maxRetries) throw error;
        this.metrics.upstreamRetries.inc({
          operation: 'note_create',
          reason: 'verified-not-created',
        });
        await sleep(backoffDelayMs(round, this.config.pancake.retryBaseMs, failure.retryAfterMs));
      }
    }
    const created = await findCreated();
    if (!created) {
      throw GatewayError.upstream(
        `Pancake accepted the note on page ${pageId} but it could not be read back; retry later`,
      );
    }
    return created;
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

  /** One logical call: limiter slot per attempt, retries with backoff, failures mapped. */
  private async call(spec: CallSpec): Promise<unknown> {
    const url = this.buildUrl(spec);
    const { maxRetries, retryBaseMs } = this.config.pancake;
    let uncertainBefore = false;
    for (let attempt = 1; ; attempt += 1) {
      const failure = await this.attemptInSlot(spec, url);
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
      uncertainBefore ||= current.acted === 'unknown';
      this.metrics.upstreamRetries.inc({ operation: spec.operation, reason: current.kind });
      await sleep(backoffDelayMs(attempt, retryBaseMs, current.retryAfterMs));
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
        return await this.attempt(spec, url, slot);
      } catch (error) {
        if (!(error instanceof SlotMissedError)) throw error;
        // Certainly not sent (acted: 'no'): the retry policy may send it again, even a note create.
        if (slots >= MAX_SLOTS_PER_ATTEMPT) return { failure: networkFailure(error) };
      }
    }
  }

  private async acquireSlot(pageId: string): Promise<SlotGrant> {
    try {
      const slot = await this.limiter.acquire(pageId);
      this.metrics.limiterWait.observe({ page: pageId }, slot.waitedMs / 1000);
      return slot;
    } catch (error) {
      if (error instanceof GatewayError && error.code === ErrorCode.RATE_LIMITED) {
        this.metrics.limiterRejections.inc({ page: pageId });
      }
      throw error;
    }
  }

  private async attempt(
    spec: CallSpec,
    url: URL,
    slot: SlotGrant,
  ): Promise<{ body?: unknown; failure?: UpstreamFailure }> {
    const stopTimer = this.metrics.upstreamDuration.startTimer({ operation: spec.operation });
    const requestContext = currentRequestContext();
    if (requestContext) requestContext.upstreamCalls += 1;
    let response: UpstreamResponse;
    try {
      response = await this.http.send(spec.method, url, spec.body, { gate: slot.mayDepart });
    } catch (error) {
      stopTimer();
      // Never sent (attemptInSlot takes a new slot), or not a network error at all.
      if (!(error instanceof UpstreamNetworkError) || error instanceof SlotMissedError) throw error;
      this.metrics.upstreamRequests.inc({ operation: spec.operation, status: 'network' });
      return { failure: networkFailure(error) };
    }
    stopTimer();
    this.metrics.upstreamRequests.inc({
      operation: spec.operation,
      status: String(response.status),
    });
    const failure = classifyResponse(response);
    return failure ? { failure } : { body: response.body };
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

function failureOf(error: unknown): UpstreamFailure | null {
  if (!(error instanceof GatewayError)) return null;
  const cause = error.cause as UpstreamFailure | undefined;
  return cause && typeof cause === 'object' && 'kind' in cause && 'acted' in cause ? cause : null;
}

function noteIdOf(noteId: string): string {
  assertNoteId(noteId);
  return noteId;
}
