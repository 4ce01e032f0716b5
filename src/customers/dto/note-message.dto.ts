import { ApiProperty } from '@nestjs/swagger';
import { IsString } from 'class-validator';
import { NOTE_MESSAGE_MAX_LENGTH } from '../../pancake/policy/note-message.policy.js';

/** Body of note create and update: text only (length and characters checked by the note policy). */
export class NoteMessageDto {
  @ApiProperty({
    minLength: 1,
    maxLength: NOTE_MESSAGE_MAX_LENGTH,
    example: 'Called back, wants the blue one',
  })
  @IsString({ message: 'must be a string' })
  message: string;
}
