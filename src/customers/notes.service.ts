import { Inject, Injectable } from '@nestjs/common';
import { ReadCache } from '../cache/read-cache.js';
import type { Caller } from '../common/auth/caller.js';
import { ErrorCode } from '../common/errors/error-code.js';
import { GatewayError } from '../common/errors/gateway-error.js';
import { PancakeClient } from '../pancake/pancake.client.js';
import type { NoteRecord } from '../pancake/pancake.model.js';
import { assertNoteId } from '../pancake/path-segments.js';
import { validateNoteMessage } from '../pancake/policy/note-message.policy.js';
import { CustomersService } from './customers.service.js';
import { PageGuard } from './page-guard.service.js';
import { CUSTOMER_LOCK, type CustomerLock } from './stores/customer-lock.js';
import {
  fingerprintOf,
  IDEMPOTENCY_STORE,
  type IdempotencyStore,
} from './stores/idempotency-store.js';

/** Note operations both transports call. Upstream returns no note: each one is read back. */
@Injectable()
export class NotesService {
  constructor(
    private readonly pancake: PancakeClient,
    private readonly customers: CustomersService,
    private readonly cache: ReadCache,
    private readonly guard: PageGuard,
    @Inject(CUSTOMER_LOCK) private readonly lock: CustomerLock,
    @Inject(IDEMPOTENCY_STORE) private readonly idempotency: IdempotencyStore<NoteRecord>,
  ) {}

  /**
   * Creates a note and returns it with its id and time. With an idempotency key, the same
   * key and body replay the first result (422 for another body, 409 while still running).
   */
  async createNote(
    caller: Caller,
    pageId: string,
    customerId: string,
    message: unknown,
    idempotencyKey?: string,
  ): Promise<NoteRecord> {
    this.guard.customer(caller, pageId, customerId, 'write', 'customerId');
    const text = validateNoteMessage(message);
    if (idempotencyKey === undefined) return this.createNow(pageId, customerId, text);
    const scope = `createNote:${caller.keyName}`;
    const fingerprint = fingerprintOf({ pageId, customerId, message: text });
    const begun = await this.idempotency.begin(scope, idempotencyKey, fingerprint);
    switch (begun.state) {
      case 'replay':
        return begun.result;
      case 'in-progress':
        throw new GatewayError(
          ErrorCode.CONFLICT,
          'A request with this Idempotency-Key is still being processed; retry shortly',
        );
      case 'mismatch':
        throw new GatewayError(
          ErrorCode.IDEMPOTENCY_KEY_REUSED,
          'This Idempotency-Key was already used with a different request; use a new key',
        );
      case 'started':
        break;
    }
    try {
      const note = await this.createNow(pageId, customerId, text);
      await this.idempotency.complete(scope, idempotencyKey, fingerprint, note);
      return note;
    } catch (error) {
      await this.idempotency.abandon(scope, idempotencyKey, fingerprint);
      throw error;
    }
  }

  async updateNote(
    caller: Caller,
    pageId: string,
    customerId: string,
    noteId: string,
    message: unknown,
  ): Promise<NoteRecord> {
    this.guard.customer(caller, pageId, customerId, 'write', 'customerId');
    assertNoteId(noteId);
    const text = validateNoteMessage(message);
    const known = await this.customers.requireKnown(pageId, customerId);
    return this.lock.withLock(pageId, customerId, async () => {
      await this.pancake.updateNote(pageId, customerId, noteId, text);
      await this.cache.invalidatePage(pageId);
      const fresh = await this.customers.readFresh(pageId, known);
      const note = fresh?.notes.find((n) => n.id === noteId);
      if (!note) throw GatewayError.notFound(`Note ${noteId} not found on customer ${customerId}`);
      return note;
    });
  }

  async deleteNote(
    caller: Caller,
    pageId: string,
    customerId: string,
    noteId: string,
  ): Promise<boolean> {
    this.guard.customer(caller, pageId, customerId, 'write', 'customerId');
    assertNoteId(noteId);
    await this.customers.requireKnown(pageId, customerId);
    await this.lock.withLock(pageId, customerId, async () => {
      await this.pancake.deleteNote(pageId, customerId, noteId);
      await this.cache.invalidatePage(pageId);
    });
    return true;
  }

  /** Under the customer lock, so the read-back diff sees only this note as new. */
  private async createNow(
    pageId: string,
    customerId: string,
    message: string,
  ): Promise<NoteRecord> {
    const known = await this.customers.requireKnown(pageId, customerId);
    return this.lock.withLock(pageId, customerId, async () => {
      const note = await this.pancake.createNote(
        pageId,
        { id: customerId, insertedAt: known.insertedAt },
        message,
      );
      await this.cache.invalidatePage(pageId);
      return note;
    });
  }
}
