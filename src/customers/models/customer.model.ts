import { Field, ID, ObjectType } from '@nestjs/graphql';
import { DateTimeScalar } from '../../common/scalars/date-time.scalar.js';
import { Gender } from './enums.js';
import { Note } from './note.model.js';

@ObjectType('Customer', { description: 'A customer of one Facebook page, as Pancake keeps it' })
export class Customer {
  @Field(() => ID, { description: 'Pancake page_customer_id' })
  id: string;

  @Field(() => ID, { description: 'The page-scoped user id' })
  psid: string;

  @Field(() => ID)
  pageId: string;

  @Field(() => ID, {
    nullable: true,
    description: 'Upstream customer_id: the same person across pages',
  })
  globalCustomerId: string | null;

  @Field(() => String, { nullable: true })
  name: string | null;

  @Field(() => [String])
  phoneNumbers: string[];

  @Field(() => [String])
  emails: string[];

  @Field(() => Gender, { nullable: true })
  gender: Gender | null;

  @Field(() => String, { nullable: true })
  livesIn: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'YYYY-MM-DD as upstream keeps it; unknown parts are 00 (1998-00-00)',
  })
  birthday: string | null;

  @Field(() => DateTimeScalar, { nullable: true })
  insertedAt: Date | null;

  @Field(() => DateTimeScalar, { nullable: true })
  updatedAt: Date | null;

  // Resolved by CustomersResolver.notes, which declares its includeRemoved argument.
  @Field(() => [Note], {
    description: 'Live notes; with includeRemoved, soft-removed ones too (they carry removedAt)',
  })
  notes: Note[];

  @Field(() => String, { description: 'The public avatar URL for this psid; no token in it' })
  avatarUrl: string;
}
