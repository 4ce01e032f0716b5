import { Field, ID, ObjectType } from '@nestjs/graphql';
import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { DateTimeScalar } from '../../common/scalars/date-time.scalar.js';
import type { CustomerView } from '../customer-view.js';
import { Gender } from './enums.js';
import { Note } from './note.model.js';

// One shape for GraphQL (@Field) and the REST mirror's OpenAPI document (@ApiProperty). Gender
// is one enum: GraphQL shows its names (MALE), REST its lower-case values (male).

@ObjectType('Customer', { description: 'A customer of one Facebook page, as Pancake keeps it' })
@ApiSchema({ name: 'CustomerResponse' })
export class Customer implements CustomerView {
  @Field(() => ID, { description: 'Pancake page_customer_id' })
  @ApiProperty({ format: 'uuid', description: 'Pancake page_customer_id' })
  id: string;

  @Field(() => ID, { description: 'The page-scoped user id' })
  @ApiProperty({ description: 'The page-scoped user id', example: '5834792348923482' })
  psid: string;

  @Field(() => ID)
  @ApiProperty({ example: '111' })
  pageId: string;

  @Field(() => ID, {
    nullable: true,
    description: 'Upstream customer_id: the same person across pages',
  })
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Upstream customer_id: the same person across pages',
  })
  globalCustomerId: string | null;

  @Field(() => String, { nullable: true })
  @ApiProperty({ type: String, nullable: true })
  name: string | null;

  @Field(() => [String])
  @ApiProperty({ type: [String], example: ['+84901234567'] })
  phoneNumbers: string[];

  @Field(() => [String])
  @ApiProperty({ type: [String] })
  emails: string[];

  @Field(() => Gender, { nullable: true })
  @ApiProperty({ type: String, enum: Gender, nullable: true })
  gender: Gender | null;

  @Field(() => String, { nullable: true })
  @ApiProperty({ type: String, nullable: true })
  livesIn: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'YYYY-MM-DD as upstream keeps it; unknown parts are 00 (1998-00-00)',
  })
  @ApiProperty({
    type: String,
    nullable: true,
    pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$',
    example: '1998-00-00',
    description: 'YYYY-MM-DD as upstream keeps it; unknown parts are 00 (1998-00-00)',
  })
  birthday: string | null;

  @Field(() => DateTimeScalar, { nullable: true })
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  insertedAt: Date | null;

  @Field(() => DateTimeScalar, { nullable: true })
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  updatedAt: Date | null;

  // GraphQL: resolved by CustomersResolver.notes, which declares its includeRemoved argument;
  // REST: the reads' includeRemovedNotes query does the same.
  @Field(() => [Note], {
    description: 'Live notes; with includeRemoved, soft-removed ones too (they carry removedAt)',
  })
  @ApiProperty({ type: () => [Note] })
  notes: Note[];

  @Field(() => String, { description: 'The public avatar URL for this psid; no token in it' })
  @ApiProperty({ description: 'The public avatar URL for this psid; no token in it' })
  avatarUrl: string;
}
