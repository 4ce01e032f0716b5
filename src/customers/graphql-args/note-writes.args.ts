import { ArgsType, Field, ID } from '@nestjs/graphql';
import { Allow } from 'class-validator';

// Rules (message length, note id shape) live in the service's policy; @Allow only keeps each
// field through the global whitelist ValidationPipe.

@ArgsType()
export class CreateNoteArgs {
  @Allow()
  @Field(() => ID)
  pageId: string;

  @Allow()
  @Field(() => ID)
  customerId: string;

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
export class UpdateNoteArgs {
  @Allow()
  @Field(() => ID)
  pageId: string;

  @Allow()
  @Field(() => ID)
  customerId: string;

  @Allow()
  @Field(() => ID)
  noteId: string;

  @Allow()
  @Field(() => String)
  message: string;
}

@ArgsType()
export class DeleteNoteArgs {
  @Allow()
  @Field(() => ID)
  pageId: string;

  @Allow()
  @Field(() => ID)
  customerId: string;

  @Allow()
  @Field(() => ID)
  noteId: string;
}
