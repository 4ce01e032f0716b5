import { ArgsType, Field } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { Allow } from 'class-validator';
import { CustomerChangesInput } from './customer-changes.input.js';
import { CustomerTargetArgs } from './target.args.js';

@ArgsType()
export class UpdateCustomerArgs extends CustomerTargetArgs {
  @Allow()
  // graphql-js hands input objects over with a null prototype: name the class to rebuild.
  @Type(() => CustomerChangesInput)
  @Field(() => CustomerChangesInput)
  changes: CustomerChangesInput;
}

@ArgsType()
export class AddCustomerPhoneNumbersArgs extends CustomerTargetArgs {
  @Allow()
  @Field(() => [String], { description: 'Merged into the current list, never replacing it' })
  phoneNumbers: string[];
}
