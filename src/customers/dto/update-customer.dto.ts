import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsArray, IsOptional, IsString } from 'class-validator';
import type { CustomerChanges } from '../../pancake/pancake.model.js';
import {
  BIRTHDAY_MIN_YEAR,
  CUSTOMER_NAME_MAX_LENGTH,
} from '../../pancake/policy/customer-changes.policy.js';
import { PHONE_NUMBERS_MAX_COUNT } from '../../pancake/policy/phone-number.js';
import { Gender } from '../models/enums.js';

// Types only: values (length, calendar, phone validity) are the update policy's, shared with GraphQL.
// No initializers: a field that is set is a change to send.
/** `PATCH /v1/pages/:pageId/customers/:id` body: any of the four fields upstream accepts. */
export class UpdateCustomerDto implements CustomerChanges {
  @ApiPropertyOptional({
    minLength: 1,
    maxLength: CUSTOMER_NAME_MAX_LENGTH,
    description: 'Trimmed; one line',
  })
  @IsOptional()
  @IsString({ message: 'must be a string' })
  name?: string;

  @ApiPropertyOptional({
    type: [String],
    maxItems: PHONE_NUMBERS_MAX_COUNT,
    example: ['0901234567', '+84 90 123 4568'],
    description:
      'Replaces the list; each normalized to E.164 (PHONE_DEFAULT_REGION when no country code)',
  })
  @IsOptional()
  @IsArray({ message: 'must be a list of strings' })
  @IsString({ each: true, message: 'must be a list of strings' })
  phoneNumbers?: string[];

  @ApiPropertyOptional({ enum: Gender })
  @IsOptional()
  @IsString({ message: 'must be a string' })
  gender?: Gender;

  @ApiPropertyOptional({
    format: 'date',
    example: '1998-04-23',
    description: `A real calendar date YYYY-MM-DD, not in the future, year >= ${BIRTHDAY_MIN_YEAR}`,
  })
  @IsOptional()
  @IsString({ message: 'must be a string' })
  birthday?: string;
}
