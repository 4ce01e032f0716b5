import { Field, ID, ObjectType } from '@nestjs/graphql';
import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { DateTimeScalar } from '../../common/scalars/date-time.scalar.js';
import type { NoteAuthorRecord, NoteRecord } from '../../pancake/pancake.model.js';

// One shape for GraphQL (@Field) and the REST mirror's OpenAPI document (@ApiProperty); the
// OpenAPI names (…Response) are the ones the document has always had.

@ObjectType('NoteAuthor', { description: 'The Pancake staff account that wrote a note' })
@ApiSchema({ name: 'NoteAuthorResponse' })
export class NoteAuthor implements NoteAuthorRecord {
  @Field(() => ID)
  @ApiProperty({ description: 'Pancake user id of the author' })
  uid: string;

  @Field(() => String, { nullable: true })
  @ApiProperty({ type: String, nullable: true })
  name: string | null;
}

/** Upstream keeps note times in ms; both transports answer ISO-8601 UTC. */
@ObjectType('Note', { description: 'A staff note on a customer' })
@ApiSchema({ name: 'NoteResponse' })
export class Note implements NoteRecord {
  @Field(() => ID)
  @ApiProperty()
  id: string;

  @Field(() => String)
  @ApiProperty()
  message: string;

  @Field(() => DateTimeScalar)
  @ApiProperty({ type: String, format: 'date-time', example: '2025-03-01T08:30:00.000Z' })
  createdAt: Date;

  @Field(() => DateTimeScalar, { nullable: true })
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  updatedAt: Date | null;

  @Field(() => DateTimeScalar, { nullable: true })
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  removedAt: Date | null;

  @Field(() => NoteAuthor, { nullable: true })
  @ApiProperty({ type: () => NoteAuthor, nullable: true })
  createdBy: NoteAuthor | null;

  @Field(() => [String])
  @ApiProperty({ type: [String] })
  images: string[];

  @Field(() => [String])
  @ApiProperty({ type: [String] })
  links: string[];
}
