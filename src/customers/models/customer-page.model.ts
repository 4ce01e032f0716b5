import { Field, Int, ObjectType } from '@nestjs/graphql';
import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import type { CustomerPageView } from '../customer-view.js';
import { MAX_PAGE_SIZE } from '../list-args.policy.js';
import { DateTimeScalar } from '../../common/scalars/date-time.scalar.js';
import { Customer } from './customer.model.js';
import { DataSource } from '../../mirror/models/mirror-enums.js';

@ObjectType('CustomerPage', { description: 'One page of an offset-paginated customer list' })
@ApiSchema({ name: 'CustomerPageResponse' })
export class CustomerPage implements CustomerPageView {
  @Field(() => Int, { description: 'Customers in the whole window, every page' })
  @ApiProperty({ type: 'integer', description: 'Customers in the whole window, every page' })
  total: number;

  @Field(() => Int)
  @ApiProperty({ type: 'integer', minimum: 1 })
  pageNumber: number;

  @Field(() => Int)
  @ApiProperty({ type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE })
  pageSize: number;

  @Field(() => Boolean)
  @ApiProperty()
  hasNextPage: boolean;

  @Field(() => [Customer])
  @ApiProperty({ type: () => [Customer] })
  nodes: Customer[];

  @Field(() => DataSource, { description: 'Where the page was read: MIRROR or UPSTREAM' })
  @ApiProperty({ enum: ['MIRROR', 'UPSTREAM'] })
  source: 'MIRROR' | 'UPSTREAM';

  @Field(() => DateTimeScalar, {
    nullable: true,
    description:
      'Mirror reads: upstream state up to this time is included (null for upstream reads)',
  })
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  syncedAt: Date | null;
}
