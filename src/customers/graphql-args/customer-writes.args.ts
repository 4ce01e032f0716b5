import { ArgsType, Field } from '@nestjs/graphql';
import { Allow } from 'class-validator';
import { CustomerTargetArgs } from './target.args.js';

// updateCustomer names its arguments one by one: its `changes` go through CustomerChangesPipe.

@ArgsType()
export class AddCustomerPhoneNumbersArgs extends CustomerTargetArgs {
  @Allow()
  @Field(() => [String], { description: 'Merged into the current list, never replacing it' })
  phoneNumbers: string[];
}
