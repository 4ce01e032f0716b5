import { ArgsType, Field, ID } from '@nestjs/graphql';
import { Allow } from 'class-validator';

// Ids are checked by the service (page ids digits, customer ids UUID, note ids safe tokens);
// @Allow only keeps each field through the global whitelist ValidationPipe.

@ArgsType()
export class PageArgs {
  @Allow()
  @Field(() => ID)
  pageId: string;
}

/** A customer addressed as `id` (customer operations). */
@ArgsType()
export class CustomerTargetArgs extends PageArgs {
  @Allow()
  @Field(() => ID)
  id: string;
}

/** A customer addressed as `customerId` (note operations). */
@ArgsType()
export class NoteCustomerArgs extends PageArgs {
  @Allow()
  @Field(() => ID)
  customerId: string;
}

@ArgsType()
export class NoteTargetArgs extends NoteCustomerArgs {
  @Allow()
  @Field(() => ID)
  noteId: string;
}
