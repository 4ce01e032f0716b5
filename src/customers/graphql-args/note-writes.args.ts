import { ArgsType, Field } from '@nestjs/graphql';
import { Allow } from 'class-validator';
import { NoteCustomerArgs, NoteTargetArgs } from './target.args.js';

// Rules (message length, note id shape) live in the service's policy.

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
