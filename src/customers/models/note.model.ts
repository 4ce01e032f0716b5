import { Field, ID, ObjectType } from '@nestjs/graphql';
import { DateTimeScalar } from '../../common/scalars/date-time.scalar.js';

@ObjectType('NoteAuthor', { description: 'The Pancake staff account that wrote a note' })
export class NoteAuthor {
  @Field(() => ID)
  uid: string;

  @Field(() => String, { nullable: true })
  name: string | null;
}

@ObjectType('Note', { description: 'A staff note on a customer' })
export class Note {
  @Field(() => ID)
  id: string;

  @Field(() => String)
  message: string;

  @Field(() => DateTimeScalar)
  createdAt: Date;

  @Field(() => DateTimeScalar, { nullable: true })
  updatedAt: Date | null;

  @Field(() => DateTimeScalar, { nullable: true })
  removedAt: Date | null;

  @Field(() => NoteAuthor, { nullable: true })
  createdBy: NoteAuthor | null;

  @Field(() => [String])
  images: string[];

  @Field(() => [String])
  links: string[];
}
