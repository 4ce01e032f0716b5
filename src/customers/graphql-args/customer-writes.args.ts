import { ArgsType, Field, ID } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { Allow } from 'class-validator';
import { CustomerChangesInput } from './customer-changes.input.js';

// Rules live in the service's policy; @Allow only keeps each field through the global
// whitelist ValidationPipe.

@ArgsType()
export class UpdateCustomerArgs {
  @Allow()
  @Field(() => ID)
  pageId: string;

  @Allow()
  @Field(() => ID)
  id: string;

  @Allow()
  // graphql-js hands input objects over with a null prototype: name the class to rebuild.
  @Type(() => CustomerChangesInput)
  @Field(() => CustomerChangesInput)
  changes: CustomerChangesInput;
}

@ArgsType()
export class AddCustomerPhoneNumbersArgs {
  @Allow()
  @Field(() => ID)
  pageId: string;

  @Allow()
  @Field(() => ID)
  id: string;

  @Allow()
  @Field(() => [String], { description: 'Merged into the current list, never replacing it' })
  phoneNumbers: string[];
}
