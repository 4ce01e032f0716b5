import { Injectable, Logger } from '@nestjs/common';
import { GatewayConfig } from '../config/gateway-config.js';
import { buildAvatarUrl } from './avatar-url.js';
import { mapCustomerListPage, toRawChanges, toRawListParams } from './customer.mapper.js';
import { PancakeTransport, type UpstreamCall } from './pancake-transport.js';
import type {
  CustomerChanges,
  CustomerListPage,
  CustomerListQuery,
  CustomerRecord,
} from './pancake.model.js';
import { assertCustomerId, assertNoteId, assertPageId } from './path-segments.js';
import { checkListAnswer, formatProblem } from './upstream-answer.validator.js';
import type { UpstreamFailure } from './upstream-failure.js';

/** Where a customer sits in upstream's list: enough to read it fresh (no get-by-id upstream). */
export interface CustomerLocator {
  id: string;
  insertedAt: Date;
}

const FIND_PAGE_SIZE = 100;
/** Seconds each side of inserted_at to read when looking one customer up. */
const FIND_WINDOW_SECONDS = 1;
/** Pages read at most in one narrow-window lookup (100 customers inserted in the same 3 s each). */
export const FIND_MAX_PAGES = 5;

/**
 * The customer operations of Pancake's Public API, one method each, in the gateway's own
 * types: paths and bodies, the shape of answers, the lookup window, the rules of retried
 * notes. Calls, retries, tokens and metrics are the transport's.
 */
@Injectable()
export class PancakeClient {
  private readonly logger = new Logger(PancakeClient.name);
  private readonly pages: ReadonlySet<string>;

  constructor(
    private readonly config: GatewayConfig,
    private readonly transport: PancakeTransport,
  ) {
    this.pages = new Set(config.pancake.pageTokens.keys());
  }

  /** Whether the gateway holds a token for this page. */
  hasPage(pageId: string): boolean {
    return this.pages.has(pageId);
  }

  configuredPages(): string[] {
    return [...this.pages];
  }

  avatarUrl(pageId: string, psid: string): string {
    return buildAvatarUrl(this.config.pancake.avatarBaseUrl, pageId, psid);
  }

  /** One page of the list; `priority: 'background'` for the mirror's sync (see UpstreamCall). */
  async listCustomers(
    pageId: string,
    query: CustomerListQuery,
    priority: UpstreamCall['priority'] = 'client',
  ): Promise<CustomerListPage> {
    const call: UpstreamCall = {
      operation: 'list',
      pageId,
      method: 'GET',
      path: `/pages/${assertPageId(pageId)}/page_customers`,
      query: { ...toRawListParams(query) },
      priority,
    };
    const checked = checkListAnswer(await this.transport.call(call));
    if (checked.ok) return mapCustomerListPage(checked.value, pageId);
    // Not retried: an answer of the wrong shape is a contract break, not a passing fault.
    const redact = (text: string) => this.transport.redact(text);
    this.logger.warn({
      msg: 'Pancake answer refused: not the expected shape',
      pageId,
      operation: call.operation,
      problems: checked.problems.map((p) => redact(formatProblem(p))),
      moreProblems: checked.more,
      shape: redact(checked.shape),
    });
    const first = checked.problems[0];
    throw this.transport.errorFor(
      {
        kind: 'unexpected',
        status: 200,
        upstreamMessage: `it did not have the expected shape (${first ? `${first.path}: ${first.rule}` : 'invalid'})`,
        acted: 'no',
      },
      call,
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
    await this.transport.call({
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
    await this.transport.call({
      operation: 'note_create',
      pageId,
      method: 'POST',
      path: this.notesPath(pageId, customerId),
      body: { message },
    });
  }

  async updateNote(
    pageId: string,
    customerId: string,
    noteId: string,
    message: string,
  ): Promise<void> {
    await this.transport.call({
      operation: 'note_update',
      pageId,
      method: 'PUT',
      path: this.notesPath(pageId, customerId),
      body: { note_id: assertNoteId(noteId), message },
    });
  }

  async deleteNote(pageId: string, customerId: string, noteId: string): Promise<void> {
    await this.transport.call({
      operation: 'note_delete',
      pageId,
      method: 'DELETE',
      path: this.notesPath(pageId, customerId),
      body: { note_id: assertNoteId(noteId) },
      landedEarlier: unknownNote,
    });
  }

  private notesPath(pageId: string, customerId: string): string {
    return `/pages/${assertPageId(pageId)}/page_customers/${assertCustomerId(customerId, 'customerId')}/notes`;
  }
}

/** A delete whose earlier attempt may have landed: "unknown note" now means it did. */
function unknownNote(failure: UpstreamFailure): boolean {
  return failure.kind === 'bad-request' || failure.kind === 'not-found';
}
