import { ArgsType, Field } from '@nestjs/graphql';
import { Allow } from 'class-validator';
import { NoteCustomerArgs, NoteTargetArgs } from './target.args.js';

// Rules: the message's in NoteMessagePipe, the note id's in the service (path-segments.ts).

@ArgsType()
export class CreateNoteArgs extends NoteCustomerArgs {
  @Allow()
  @Field(() => String)
  message: string;

  @Allow()
  @Field(() => String, {
    nullable: true,
    description:
      'The same key with the same message returns the first note instead of a second one',
  })
  idempotencyKey?: string | null;
}

@ArgsType()
export class UpdateNoteArgs extends NoteTargetArgs {
  @Allow()
  @Field(() => String)
  message: string;
}

@ArgsType()
export class DeleteNoteArgs extends NoteTargetArgs {}
