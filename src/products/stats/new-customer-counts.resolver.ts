import { Args, Query, Resolver } from '@nestjs/graphql';
import type { Caller } from '../../common/auth/caller.js';
import { CurrentCaller } from '../../common/auth/current-caller.decorator.js';
import { NewCustomerCountsArgs } from '../dto/products.args.js';
import { CustomerCount } from '../models/customer-count.model.js';
import { DEFAULT_TIME_ZONE, type BucketCount } from './count-buckets.policy.js';
import { NewCustomerCountsService } from './new-customer-counts.service.js';

@Resolver(() => CustomerCount)
export class NewCustomerCountsResolver {
  constructor(private readonly stats: NewCustomerCountsService) {}

  @Query(() => [CustomerCount], {
    description:
      'Customers by insertedAt per day, ISO week or month of a time zone, empty buckets included',
  })
  newCustomerCounts(
    @CurrentCaller() caller: Caller,
    @Args() { pageId, since, until, bucket, timeZone }: NewCustomerCountsArgs,
  ): Promise<BucketCount[]> {
    return this.stats.counts(caller, pageId, {
      since,
      until,
      bucket: bucket ?? 'DAY',
      timeZone: timeZone ?? DEFAULT_TIME_ZONE,
    });
  }
}
