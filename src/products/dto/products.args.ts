import { ArgsType, Field, ID, Int } from '@nestjs/graphql';
import { Allow } from 'class-validator';
import { DateTimeScalar } from '../../common/scalars/date-time.scalar.js';
import { StatsBucket } from '../models/customer-count.model.js';
import { SEARCH_DEFAULT_LIMIT } from '../search/search-input.policy.js';
import { DEFAULT_TIME_ZONE } from '../stats/count-buckets.policy.js';

// Rules (lengths, ranges, zones) are the services' policies, shared with REST; @Allow only keeps
// each field through the global whitelist ValidationPipe.

@ArgsType()
export class SearchCustomersArgs {
  @Allow()
  @Field(() => String, { nullable: true, description: 'Any spelling; normalized to E.164 first' })
  phone?: string | null;

  @Allow()
  @Field(() => String, {
    nullable: true,
    description: 'Start of the name, case- and accent-insensitive (2 to 100 characters)',
  })
  name?: string | null;

  @Allow()
  @Field(() => [ID], { nullable: true, description: 'Omitted: every page the key may read' })
  pageIds?: string[] | null;

  @Allow()
  @Field(() => Int, { nullable: true, defaultValue: SEARCH_DEFAULT_LIMIT, description: '1 to 100' })
  first?: number | null;
}

@ArgsType()
export class NewCustomerCountsArgs {
  @Allow()
  @Field(() => ID)
  pageId: string;

  @Allow()
  @Field(() => DateTimeScalar)
  since: Date;

  @Allow()
  @Field(() => DateTimeScalar, { description: 'Exclusive; DAY windows up to 2 years' })
  until: Date;

  @Allow()
  @Field(() => StatsBucket, { nullable: true, defaultValue: StatsBucket.DAY })
  bucket?: StatsBucket;

  @Allow()
  @Field(() => String, { nullable: true, defaultValue: DEFAULT_TIME_ZONE })
  timeZone?: string;
}
