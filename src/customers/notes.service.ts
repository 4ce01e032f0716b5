import { Inject, Injectable } from '@nestjs/common';
import { ReadCache } from '../cache/read-cache.js';
import type { Caller } from '../common/auth/caller.js';
import { ErrorCode } from '../common/errors/error-code.js';
import { GatewayError } from '../common/errors/gateway-error.js';
import { PancakeClient } from '../pancake/pancake.client.js';
import type { NoteRecord } from '../pancake/pancake.model.js';
import { assertNoteId } from '../pancake/path-segments.js';
import { CustomersService } from './customers.service.js';
import { PageGuard } from './page-guard.service.js';
import { fingerprintOf } from '../common/fingerprint.js';
import { IDEMPOTENCY_STORE, type IdempotencyStore } from './stores/idempotency-store.js';
import { GuardedWrites, isOutcomeUnknown, type SettledHook } from './writes/guarded-writes.js';
import { createdNotes } from './writes/write-effects.js';

/** Note operations both transports call. Upstream returns no note: each one is read back. */
@Injectable()
export class NotesService {
  constructor(
    private readonly pancake: PancakeClient,
    private readonly customers: CustomersService,
    private readonly cache: ReadCache,
    private readonly guard: PageGuard,
    private readonly writes: GuardedWrites,
    @Inject(IDEMPOTENCY_STORE) private readonly idempotency: IdempotencyStore<NoteRecord>,
  ) {}

  /**
   * Creates a note and returns it with its id and time. With an idempotency key, the same
   * key and body replay the first result (422 for another body, 409 while still running,
   * which includes the time a create with no answer is being verified). `message` is checked
   * and trimmed (NoteMessagePipe).
   */
  async createNote(
    caller: Caller,
    pageId: string,
    customerId: string,
    message: string,
    idempotencyKey?: string,
  ): Promise<NoteRecord> {
    this.guard.customer(caller, pageId, customerId, 'write', 'customerId');
    if (idempotencyKey === undefined) return this.createNow(pageId, customerId, message);
    const scope = `createNote:${caller.keyName}`;
    const fingerprint = fingerprintOf({ pageId, customerId, message });
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
    // A create that outlives its request settles the key in the background: the note found
    // replays, a create that never landed frees the key for a retry.
    const settled: SettledHook = async (landing) => {
      if (landing.landed && landing.note)
        await this.idempotency.complete(scope, idempotencyKey, fingerprint, landing.note);
      else await this.idempotency.abandon(scope, idempotencyKey, fingerprint);
    };
    try {
      const note = await this.createNow(pageId, customerId, message, settled);
      await this.idempotency.complete(scope, idempotencyKey, fingerprint, note);
      return note;
    } catch (error) {
      if (!isOutcomeUnknown(error))
        await this.idempotency.abandon(scope, idempotencyKey, fingerprint);
      throw error;
    }
  }

  async updateNote(
    caller: Caller,
    pageId: string,
    customerId: string,
    noteId: string,
    message: string,
  ): Promise<NoteRecord> {
    this.guard.customer(caller, pageId, customerId, 'write', 'customerId');
    assertNoteId(noteId);
    const known = await this.customers.requireKnown(pageId, customerId);
    const before = known.snapshot.notes.find((n) => n.id === noteId);
    return this.writes.exclusive(pageId, customerId, async () => {
      const sent = await this.writes.send(
        {
          kind: 'note_update',
          pageId,
          customerId,
          noteId,
          message,
          baselineUpdatedAt: before ? (before.updatedAt ?? before.createdAt).getTime() : null,
        },
        () => this.pancake.updateNote(pageId, customerId, noteId, message),
        this.customers.readerOf(pageId, known),
        () => this.cache.invalidatePage(pageId),
      );
      await this.cache.invalidatePage(pageId);
      const fresh = sent.seen ?? (await this.customers.readFresh(pageId, known));
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
    const known = await this.customers.requireKnown(pageId, customerId);
    await this.writes.exclusive(pageId, customerId, async () => {
      await this.writes.send(
        { kind: 'note_delete', pageId, customerId, noteId, baselineUpdatedAt: null },
        () => this.pancake.deleteNote(pageId, customerId, noteId),
        this.customers.readerOf(pageId, known),
        () => this.cache.invalidatePage(pageId),
      );
      await this.cache.invalidatePage(pageId);
    });
    return true;
  }

  /**
   * Under the customer's guarded lock, so the read-back diff sees only this note as new.
   * Upstream answers no id: the note is the new one with this message in a read made after.
   */
  private async createNow(
    pageId: string,
    customerId: string,
    message: string,
    onSettled?: SettledHook,
  ): Promise<NoteRecord> {
    const known = await this.customers.requireKnown(pageId, customerId);
    const read = this.customers.readerOf(pageId, known);
    return this.writes.exclusive(pageId, customerId, async () => {
      const before = await read();
      if (!before)
        throw GatewayError.notFound(`Customer ${customerId} not found on page ${pageId}`);
      const intent = {
        kind: 'note_create' as const,
        pageId,
        customerId,
        message,
        knownNoteIds: before.notes.map((n) => n.id),
        baselineUpdatedAt: before.updatedAt?.getTime() ?? null,
      };
      const invalidate = () => this.cache.invalidatePage(pageId);
      const sent = await this.writes.send(
        intent,
        () => this.pancake.postNote(pageId, customerId, message),
        read,
        async (landing, current) => {
          await invalidate();
          if (landing.landed && landing.note)
            await this.acknowledge(pageId, customerId, landing.note);
          await onSettled?.(landing, current);
        },
      );
      await invalidate();
      const after = sent.seen ?? (await read());
      const note = sent.note ?? (after && createdNotes(after, intent).at(-1));
      if (!note) {
        throw GatewayError.upstream(
          `Pancake accepted the note on page ${pageId} but it could not be read back; retry later`,
        );
      }
      await this.acknowledge(pageId, customerId, note);
      return note;
    });
  }

  private acknowledge(pageId: string, customerId: string, note: NoteRecord): Promise<void> {
    return this.writes.acknowledge(pageId, customerId, {
      kind: 'note',
      noteId: note.id,
      message: note.message,
      at: Date.now(),
    });
  }
}
