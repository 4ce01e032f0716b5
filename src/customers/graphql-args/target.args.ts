import { ArgsType, Field, ID } from '@nestjs/graphql';
import { Transform } from 'class-transformer';
import { Allow } from 'class-validator';
import { normalizeCustomerId } from '../../pancake/path-segments.js';

// Ids are checked by the service (page ids digits, customer ids UUID, note ids safe tokens);
// @Allow only keeps each field through the global whitelist ValidationPipe. Customer ids are
// lower-cased here, where they come in (REST and updateCustomer do the same with CustomerIdPipe).

const toCanonicalCustomerId = ({ value }: { value: unknown }): unknown =>
  normalizeCustomerId(value);

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
  @Transform(toCanonicalCustomerId)
  @Field(() => ID)
  id: string;
}

/** A customer addressed as `customerId` (note operations). */
@ArgsType()
export class NoteCustomerArgs extends PageArgs {
  @Allow()
  @Transform(toCanonicalCustomerId)
  @Field(() => ID)
  customerId: string;
}

@ArgsType()
export class NoteTargetArgs extends NoteCustomerArgs {
  @Allow()
  @Field(() => ID)
  noteId: string;
}
