import { Args, Query, Resolver } from '@nestjs/graphql';
import type { Caller } from '../../common/auth/caller.js';
import { CurrentCaller } from '../../common/auth/current-caller.decorator.js';
import type { CustomerView } from '../../customers/customer-view.js';
import { Customer } from '../../customers/models/customer.model.js';
import { SearchCustomersArgs } from '../dto/products.args.js';
import { CustomerSearchService } from './customer-search.service.js';

@Resolver()
export class CustomerSearchResolver {
  constructor(private readonly search: CustomerSearchService) {}

  @Query(() => [Customer], {
    description:
      "Customers by phone (any spelling) or name start (no case, no accents) across the key's pages, from the mirror",
  })
  searchCustomers(
    @CurrentCaller() caller: Caller,
    @Args() { phone, name, pageIds, first }: SearchCustomersArgs,
  ): Promise<CustomerView[]> {
    return this.search.search(caller, { phone, name, pageIds, limit: first }, 'first');
  }
}
