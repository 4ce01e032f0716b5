import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsDate, IsIn, IsOptional, IsString } from 'class-validator';
import { parseIsoDateTime } from '../../common/scalars/date-time.scalar.js';
import { EXPORT_FORMATS } from '../export/export-request.policy.js';
import { EXPORT_PROFILES } from '../export/export-profiles.js';
import { SEARCH_DEFAULT_LIMIT, SEARCH_MAX_LIMIT } from '../search/search-input.policy.js';
import { DEFAULT_TIME_ZONE, type StatsBucketName } from '../stats/count-buckets.policy.js';

const DATE_TIME_RULE = 'must be an ISO-8601 date-time with offset';
const toDate = ({ value }: { value: unknown }): unknown =>
  (typeof value === 'string' ? parseIsoDateTime(value) : null) ?? value;
const BUCKETS = ['day', 'week', 'month'] as const;

// Values are checked by the same policies as GraphQL's arguments (one rule, one message);
// these classes declare the names, keep them through the whitelist and document them.

/** `GET /v1/pages/:pageId/customers/export` */
export class ExportCustomersQuery {
  @ApiPropertyOptional({ enum: EXPORT_FORMATS, default: 'ndjson' })
  @IsOptional()
  @IsString({ message: 'must be a string' })
  format?: string;

  @ApiPropertyOptional({
    enum: EXPORT_PROFILES,
    default: 'gateway',
    description: 'See the README for the field mapping',
  })
  @IsOptional()
  @IsString({ message: 'must be a string' })
  profile?: string;

  @ApiPropertyOptional({ description: 'Resume after the line that carried this cursor' })
  @IsOptional()
  @IsString({ message: 'must be a string' })
  after?: string;

  @ApiPropertyOptional({
    type: String,
    format: 'date-time',
    description: 'Only customers updated since',
  })
  @IsOptional()
  @IsString({ message: 'must be a string' })
  updatedSince?: string;
}

/** `GET /v1/customers/search` */
export class SearchCustomersQuery {
  @ApiPropertyOptional({
    example: '0901 234 567',
    description: 'Any spelling; normalized to E.164 first',
  })
  @IsOptional()
  @IsString({ message: 'must be a string' })
  phone?: string;

  @ApiPropertyOptional({
    example: 'nguyen van',
    description: 'Start of the name, case- and accent-insensitive',
  })
  @IsOptional()
  @IsString({ message: 'must be a string' })
  name?: string;

  @ApiPropertyOptional({
    example: '111,222',
    description: 'Comma-separated; omitted: every page the key may read',
  })
  @IsOptional()
  @IsString({ message: 'must be a string' })
  pageIds?: string;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: SEARCH_MAX_LIMIT,
    default: SEARCH_DEFAULT_LIMIT,
  })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' && /^\d{1,9}$/.test(value) ? Number(value) : value,
  )
  limit?: number | string;
}

/** `GET /v1/pages/:pageId/stats/new-customers` */
export class NewCustomerCountsQuery {
  @ApiProperty({ type: String, format: 'date-time', example: '2025-01-01T00:00:00+07:00' })
  @Transform(toDate)
  @IsDate({ message: DATE_TIME_RULE })
  since: Date;

  @ApiProperty({
    type: String,
    format: 'date-time',
    example: '2026-01-01T00:00:00+07:00',
    description: 'Exclusive',
  })
  @Transform(toDate)
  @IsDate({ message: DATE_TIME_RULE })
  until: Date;

  @ApiPropertyOptional({ enum: BUCKETS, default: 'day' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' && (BUCKETS as readonly string[]).includes(value)
      ? value.toUpperCase()
      : value,
  )
  @IsIn(['DAY', 'WEEK', 'MONTH'], { message: `must be ${BUCKETS.join(', ')}` })
  bucket: StatsBucketName = 'DAY';

  @ApiPropertyOptional({ default: DEFAULT_TIME_ZONE, description: 'IANA time zone' })
  @IsOptional()
  @IsString({ message: 'must be a string' })
  timeZone: string = DEFAULT_TIME_ZONE;
}
