import { Field, InputType } from '@nestjs/graphql';
import { Gender } from '../models/enums.js';

// GraphQL checks the shapes; CustomerChangesPipe applies the update policy's rules (calendar
// date, not in the future, phone format) and hands the service what is left.

@InputType('CustomerChangesInput', { description: 'Only the fields given are changed' })
export class CustomerChangesInput {
  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => [String], {
    nullable: true,
    description: 'Replaces the whole list; normalized to E.164',
  })
  phoneNumbers?: string[] | null;

  @Field(() => Gender, { nullable: true })
  gender?: Gender | null;

  @Field(() => String, {
    nullable: true,
    description: 'A real calendar date YYYY-MM-DD, not in the future, year >= 1900',
  })
  birthday?: string | null;
}
