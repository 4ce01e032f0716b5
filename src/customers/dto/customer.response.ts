import { ApiProperty } from '@nestjs/swagger';
import type { Gender } from '../../pancake/pancake.model.js';
import type { CustomerView } from '../customer-view.js';
import { NoteResponse } from './note.response.js';

export const REST_GENDERS: readonly Gender[] = ['male', 'female', 'unknown'];

/** A customer of one page, as GraphQL's Customer with REST's lower-case gender. */
export class CustomerResponse implements CustomerView {
  @ApiProperty({ format: 'uuid', description: 'Pancake page_customer_id' })
  id: string;

  @ApiProperty({ description: 'Page-scoped user id', example: '5834792348923482' })
  psid: string;

  @ApiProperty({ example: '111' })
  pageId: string;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Upstream customer_id: the same person across pages',
  })
  globalCustomerId: string | null;

  @ApiProperty({ type: String, nullable: true })
  name: string | null;

  @ApiProperty({ type: [String], example: ['+84901234567'] })
  phoneNumbers: string[];

  @ApiProperty({ type: [String] })
  emails: string[];

  @ApiProperty({ type: String, enum: REST_GENDERS, nullable: true })
  gender: Gender | null;

  @ApiProperty({ type: String, nullable: true })
  livesIn: string | null;

  @ApiProperty({
    type: String,
    nullable: true,
    pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$',
    example: '1998-00-00',
    description: 'YYYY-MM-DD as upstream keeps it; unknown parts are 00',
  })
  birthday: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  insertedAt: Date | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  updatedAt: Date | null;

  @ApiProperty({ type: () => [NoteResponse] })
  notes: NoteResponse[];

  @ApiProperty({ description: 'Public avatar URL for this psid; no token in it' })
  avatarUrl: string;
}
