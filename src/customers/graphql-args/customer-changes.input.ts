import { Field, InputType } from '@nestjs/graphql';
import { Allow } from 'class-validator';
import { Gender } from '../models/enums.js';

// GraphQL checks the shapes; the rules (calendar date, not in the future, phone format) live in
// the service's policy. @Allow only keeps each field through the global whitelist ValidationPipe.

@InputType('CustomerChangesInput', { description: 'Only the fields given are changed' })
export class CustomerChangesInput {
  @Allow()
  @Field(() => String, { nullable: true })
  name?: string | null;

  @Allow()
  @Field(() => [String], {
    nullable: true,
    description: 'Replaces the whole list; normalized to E.164',
  })
  phoneNumbers?: string[] | null;

  @Allow()
  @Field(() => Gender, { nullable: true })
  gender?: Gender | null;

  @Allow()
  @Field(() => String, {
    nullable: true,
    description: 'A real calendar date YYYY-MM-DD, not in the future, year >= 1900',
  })
  birthday?: string | null;
}
