import { Args, Mutation, Resolver } from '@nestjs/graphql';
import type { Caller } from '../common/auth/caller.js';
import { CurrentCaller } from '../common/auth/current-caller.decorator.js';
import type { NoteView } from './customer-view.js';
import { CreateNoteArgs, DeleteNoteArgs, UpdateNoteArgs } from './graphql-args/note-writes.args.js';
import { Note } from './models/note.model.js';
import { NotesService } from './notes.service.js';

/** GraphQL note operations: one service call each, no mapping. */
@Resolver(() => Note)
export class NotesResolver {
  constructor(private readonly notes: NotesService) {}

  @Mutation(() => Note)
  createNote(
    @CurrentCaller() caller: Caller,
    @Args() { pageId, customerId, message, idempotencyKey }: CreateNoteArgs,
  ): Promise<NoteView> {
    // An explicit null means "no key", as an omitted one does.
    return this.notes.createNote(caller, pageId, customerId, message, idempotencyKey ?? undefined);
  }

  @Mutation(() => Note)
  updateNote(
    @CurrentCaller() caller: Caller,
    @Args() { pageId, customerId, noteId, message }: UpdateNoteArgs,
  ): Promise<NoteView> {
    return this.notes.updateNote(caller, pageId, customerId, noteId, message);
  }

  @Mutation(() => Boolean)
  deleteNote(
    @CurrentCaller() caller: Caller,
    @Args() { pageId, customerId, noteId }: DeleteNoteArgs,
  ): Promise<boolean> {
    return this.notes.deleteNote(caller, pageId, customerId, noteId);
  }
}
