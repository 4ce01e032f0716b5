import { ApiProperty } from '@nestjs/swagger';
import { IsArray, IsString } from 'class-validator';
import { PHONE_NUMBERS_MAX_COUNT } from '../../pancake/policy/phone-number.js';

/** `POST .../phone-numbers` body: merged into the current list, never replacing it. */
export class AddPhoneNumbersDto {
  @ApiProperty({
    type: [String],
    minItems: 1,
    maxItems: PHONE_NUMBERS_MAX_COUNT,
    example: ['0901234567'],
  })
  @IsArray({ message: 'must be a list of strings' })
  @IsString({ each: true, message: 'must be a list of strings' })
  phoneNumbers: string[];
}
