import { ArgsType, Field, Int } from '@nestjs/graphql';
import { Allow } from 'class-validator';
import { DateTimeScalar } from '../../common/scalars/date-time.scalar.js';
import { DEFAULT_PAGE_SIZE } from '../list-args.policy.js';
import { DataSource } from '../../mirror/models/mirror-enums.js';
import { CustomerOrder } from '../models/enums.js';
import { CustomerTargetArgs, PageArgs } from './target.args.js';

// Ranges (pageSize 1..100, since <= until) are the service's policy; @Allow only keeps each
// field through the global whitelist ValidationPipe.

const SOURCE_DESCRIPTION = 'Where to read from; omitted: the READ_SOURCE setting';

@ArgsType()
export class CustomersArgs extends PageArgs {
  @Allow()
  @Field(() => DateTimeScalar)
  since: Date;

  @Allow()
  @Field(() => DateTimeScalar)
  until: Date;

  @Allow()
  @Field(() => Int, { nullable: true, defaultValue: 1 })
  pageNumber?: number;

  @Allow()
  @Field(() => Int, { nullable: true, defaultValue: DEFAULT_PAGE_SIZE, description: '1 to 100' })
  pageSize?: number;

  @Allow()
  @Field(() => CustomerOrder, { nullable: true, defaultValue: CustomerOrder.INSERTED_AT })
  orderBy?: CustomerOrder;

  @Allow()
  @Field(() => DataSource, { nullable: true, description: SOURCE_DESCRIPTION })
  source?: DataSource;
}

@ArgsType()
export class CustomerArgs extends CustomerTargetArgs {
  @Allow()
  @Field(() => DataSource, { nullable: true, description: SOURCE_DESCRIPTION })
  source?: DataSource;
}
