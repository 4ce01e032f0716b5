import { Args, Mutation, Resolver } from '@nestjs/graphql';
import type { Caller } from '../common/auth/caller.js';
import { CurrentCaller } from '../common/auth/current-caller.decorator.js';
import { UpstreamRequests } from '../common/graphql/upstream-requests.rule.js';
import { FIND_MAX_PAGES } from '../pancake/pancake.client.js';
import { NoteMessagePipe } from './customer-input.pipes.js';
import type { NoteView } from './customer-view.js';
import { CreateNoteArgs, DeleteNoteArgs, UpdateNoteArgs } from './graphql-args/note-writes.args.js';
import { Note } from './models/note.model.js';
import { NotesService } from './notes.service.js';

// The most requests each operation may send to Pancake, retries aside (see PancakeClient): a
// fresh read of the customer may page through FIND_MAX_PAGES list requests.
const CUSTOMER_READ = FIND_MAX_PAGES;

/** GraphQL note operations: one service call each, no mapping. */
@Resolver(() => Note)
export class NotesResolver {
  constructor(private readonly notes: NotesService) {}

  @Mutation(() => Note)
  @UpstreamRequests(CUSTOMER_READ + 1 + CUSTOMER_READ) // read before, POST, read-back
  createNote(
    @CurrentCaller() caller: Caller,
    @Args(NoteMessagePipe) { pageId, customerId, message, idempotencyKey }: CreateNoteArgs,
  ): Promise<NoteView> {
    // An explicit null means "no key", as an omitted one does.
    return this.notes.createNote(caller, pageId, customerId, message, idempotencyKey ?? undefined);
  }

  @Mutation(() => Note)
  @UpstreamRequests(1 + CUSTOMER_READ) // PUT, read-back
  updateNote(
    @CurrentCaller() caller: Caller,
    @Args(NoteMessagePipe) { pageId, customerId, noteId, message }: UpdateNoteArgs,
  ): Promise<NoteView> {
    return this.notes.updateNote(caller, pageId, customerId, noteId, message);
  }

  @Mutation(() => Boolean)
  @UpstreamRequests(1) // DELETE
  deleteNote(
    @CurrentCaller() caller: Caller,
    @Args() { pageId, customerId, noteId }: DeleteNoteArgs,
  ): Promise<boolean> {
    return this.notes.deleteNote(caller, pageId, customerId, noteId);
  }
}
