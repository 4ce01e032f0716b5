import { Field, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { ApiProperty } from '@nestjs/swagger';
import { DateTimeScalar } from '../../common/scalars/date-time.scalar.js';

/** The contract's StatsBucket: days, ISO weeks (Monday) or months of the asked time zone. */
export enum StatsBucket {
  DAY = 'DAY',
  WEEK = 'WEEK',
  MONTH = 'MONTH',
}

registerEnumType(StatsBucket, {
  name: 'StatsBucket',
  description: 'Days, ISO weeks (from Monday) or months of the asked time zone',
});

@ObjectType('CustomerCount', { description: 'New customers (by insertedAt) in one bucket' })
export class CustomerCount {
  @Field(() => DateTimeScalar, { description: "The bucket's start: local midnight, as UTC" })
  @ApiProperty({ type: String, format: 'date-time', example: '2024-12-31T17:00:00.000Z' })
  bucketStart: Date;

  @Field(() => Int)
  @ApiProperty({ type: 'integer', example: 12 })
  count: number;
}
