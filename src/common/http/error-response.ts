import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ErrorCode } from '../errors/error-code.js';

/** One violated rule on one input field. */
export class FieldViolationResponse {
  @ApiProperty({
    example: 'birthday',
    description: 'Path of the field from the request root, e.g. phoneNumbers.0',
  })
  field: string;

  @ApiProperty({ example: 'must not be in the future' })
  rule: string;

  @ApiPropertyOptional({ description: 'The rejected value, when short enough to echo' })
  value?: unknown;
}

export class ErrorDetailsResponse {
  @ApiPropertyOptional({
    type: () => [FieldViolationResponse],
    description: 'BAD_USER_INPUT: every violation at once',
  })
  violations?: FieldViolationResponse[];
}

export class ErrorBodyResponse {
  // Inline, not a named enum: Nest wraps a $ref'd enum in a one-element allOf (linted as illogical).
  @ApiProperty({ enum: ErrorCode, type: 'string' })
  code: ErrorCode;

  @ApiProperty({ example: 'birthday: must not be in the future' })
  message: string;

  @ApiPropertyOptional({ type: () => ErrorDetailsResponse })
  details?: ErrorDetailsResponse;
}

/** Every REST error: `{"error":{"code","message","details"?}}`. */
export class ErrorResponse {
  @ApiProperty({ type: () => ErrorBodyResponse })
  error: ErrorBodyResponse;
}
