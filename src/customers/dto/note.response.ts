import { ApiProperty } from '@nestjs/swagger';
import type { NoteAuthorRecord } from '../../pancake/pancake.model.js';
import type { NoteView } from '../customer-view.js';

/** Who wrote a note, as upstream records it. */
export class NoteAuthorResponse implements NoteAuthorRecord {
  @ApiProperty({ description: 'Pancake user id of the author' })
  uid: string;

  @ApiProperty({ type: String, nullable: true })
  name: string | null;
}

/** A note on a customer (upstream keeps times in ms; here ISO-8601 UTC). */
export class NoteResponse implements NoteView {
  @ApiProperty()
  id: string;

  @ApiProperty()
  message: string;

  @ApiProperty({ type: String, format: 'date-time', example: '2025-03-01T08:30:00.000Z' })
  createdAt: Date;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  updatedAt: Date | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  removedAt: Date | null;

  @ApiProperty({ type: () => NoteAuthorResponse, nullable: true })
  createdBy: NoteAuthorResponse | null;

  @ApiProperty({ type: [String] })
  images: string[];

  @ApiProperty({ type: [String] })
  links: string[];
}
