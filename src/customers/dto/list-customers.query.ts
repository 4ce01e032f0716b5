import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsDate, IsIn, IsInt, IsOptional, type ValidationArguments } from 'class-validator';
import { parseIsoDateTime } from '../../common/scalars/date-time.scalar.js';
import type { CustomerOrderBy } from '../../pancake/pancake.model.js';
import type { ListCustomersArgs } from '../customer-view.js';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_NUMBER, MAX_PAGE_SIZE } from '../list-args.policy.js';
import { CustomerReadQuery } from './customer-read.query.js';

const ORDERS: readonly CustomerOrderBy[] = ['inserted_at', 'updated_at'];
// camelCase like every other name of the API; upstream's snake_case still accepted.
const ORDER_ALIASES: Readonly<Record<string, CustomerOrderBy>> = {
  insertedAt: 'inserted_at',
  updatedAt: 'updated_at',
};
const ORDER_NAMES = [...Object.keys(ORDER_ALIASES), ...ORDERS];
const DATE_TIME_RULE = 'must be an ISO-8601 date-time with offset';
/** A missing window bound is named as missing, not as a malformed date. */
const dateTimeRule = ({ value }: ValidationArguments): string =>
  value === undefined ? 'is required' : DATE_TIME_RULE;

// GraphQL's DateTime parser, so both transports accept the same strings. Left as given when
// unparsable, so @IsDate reports it under its own name.
/** Plain decimal digits only: Number() would also read 0x10, 1e1 and ' 5 '. */
const decimalInteger = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^-?\d{1,9}$/.test(value) ? Number(value) : value;

const toOrder = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? (ORDER_ALIASES[value] ?? value) : value;

const toDate = ({ value }: { value: unknown }): unknown =>
  (typeof value === 'string' ? parseIsoDateTime(value) : null) ?? value;

/** `GET /v1/pages/:pageId/customers` query; ranges and the window are checked by the list policy. */
export class ListCustomersQuery extends CustomerReadQuery implements ListCustomersArgs {
  @ApiProperty({
    type: String,
    format: 'date-time',
    example: '2025-01-01T00:00:00Z',
    description: 'Window start (inclusive), with offset',
  })
  @Transform(toDate)
  @IsDate({ message: dateTimeRule })
  since: Date;

  @ApiProperty({
    type: String,
    format: 'date-time',
    example: '2025-02-01T00:00:00+07:00',
    description: 'Window end, with offset',
  })
  @Transform(toDate)
  @IsDate({ message: dateTimeRule })
  until: Date;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_PAGE_NUMBER, default: 1 })
  @IsOptional()
  @Transform(decimalInteger)
  @IsInt({ message: 'must be an integer' })
  pageNumber: number = 1;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: MAX_PAGE_SIZE,
    default: DEFAULT_PAGE_SIZE,
  })
  @IsOptional()
  @Transform(decimalInteger)
  @IsInt({ message: 'must be an integer' })
  pageSize: number = DEFAULT_PAGE_SIZE;

  @ApiPropertyOptional({
    enum: ORDER_NAMES,
    default: 'insertedAt',
    description: 'Newest first by this time; `inserted_at` and `updated_at` are accepted too',
  })
  @IsOptional()
  @Transform(toOrder)
  @IsIn(ORDERS, { message: `must be one of ${ORDER_NAMES.join(', ')}` })
  orderBy: CustomerOrderBy = 'inserted_at';
}
