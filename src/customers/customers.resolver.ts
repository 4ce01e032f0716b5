import { Args, ID, Mutation, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { Caller } from '../common/auth/caller.js';
import { CurrentCaller } from '../common/auth/current-caller.decorator.js';
import { PlainFieldResolver } from '../common/graphql/plain-field-resolver.decorator.js';
import { UpstreamRequests } from '../common/graphql/upstream-requests.rule.js';
import { FIND_MAX_PAGES } from '../pancake/pancake.client.js';
import type { CustomerChanges } from '../pancake/pancake.model.js';
import { CustomerChangesPipe, CustomerIdPipe, PhoneNumbersPipe } from './customer-input.pipes.js';
import type { CustomerPageView, CustomerView, NoteView } from './customer-view.js';
import { CustomersService } from './customers.service.js';
import { CustomerChangesInput } from './graphql-args/customer-changes.input.js';
import { AddCustomerPhoneNumbersArgs } from './graphql-args/customer-writes.args.js';
import { CustomerNotesArgs } from './graphql-args/customer-notes.args.js';
import { CustomerArgs, CustomersArgs } from './graphql-args/customers.args.js';
import { CustomerPage } from './models/customer-page.model.js';
import { Customer } from './models/customer.model.js';
import { Note } from './models/note.model.js';
import { visibleNotes } from './note-visibility.js';

/**
 * GraphQL customer operations: one service call each, no mapping. avatarUrl comes in the view,
 * not from a field resolver: a resolver per customer made every node of a list complete
 * asynchronously (a promise per customer), which cost more than the rest of the execution.
 * For the same reason Customer.notes, which takes an argument, is a plain synchronous resolver.
 */
// Each operation declares the most requests it may send to Pancake, retries aside (see the
// service): a fresh read of one customer may page through FIND_MAX_PAGES list requests.
const CUSTOMER_READ = FIND_MAX_PAGES;

@Resolver(() => Customer)
export class CustomersResolver {
  constructor(private readonly customersService: CustomersService) {}

  @Query(() => CustomerPage, { description: 'One page of the customers in a time window' })
  @UpstreamRequests(1)
  customers(
    @CurrentCaller() caller: Caller,
    @Args() args: CustomersArgs,
  ): Promise<CustomerPageView> {
    return this.customersService.listCustomers(caller, args.pageId, args);
  }

  @Query(() => Customer, { nullable: true, description: 'null when the id is unknown on the page' })
  @UpstreamRequests(CUSTOMER_READ)
  customer(
    @CurrentCaller() caller: Caller,
    @Args() { pageId, id, source }: CustomerArgs,
  ): Promise<CustomerView | null> {
    return this.customersService.getCustomer(caller, pageId, id, source);
  }

  @Mutation(() => Customer)
  @UpstreamRequests(1 + CUSTOMER_READ) // PUT, read-back
  updateCustomer(
    @CurrentCaller() caller: Caller,
    // Named arguments, as the changes are parsed on their own (the others take ArgsTypes).
    @Args('pageId', { type: () => ID }) pageId: string,
    @Args('id', { type: () => ID }, CustomerIdPipe) id: string,
    @Args('changes', { type: () => CustomerChangesInput }, CustomerChangesPipe)
    changes: CustomerChanges,
  ): Promise<CustomerView> {
    return this.customersService.updateCustomer(caller, pageId, id, changes);
  }

  @Mutation(() => Customer)
  @UpstreamRequests(CUSTOMER_READ + 1 + CUSTOMER_READ) // fresh read, PUT, read-back
  addCustomerPhoneNumbers(
    @CurrentCaller() caller: Caller,
    @Args(PhoneNumbersPipe) { pageId, id, phoneNumbers }: AddCustomerPhoneNumbersArgs,
  ): Promise<CustomerView> {
    return this.customersService.addPhoneNumbers(caller, pageId, id, phoneNumbers);
  }

  /** Called by graphql-js as (customer, args), synchronously: see PlainFieldResolver. */
  @PlainFieldResolver()
  @ResolveField(() => [Note])
  notes(customer: CustomerView, @Args() args: CustomerNotesArgs): NoteView[] {
    return visibleNotes(customer.notes, args.includeRemoved === true);
  }
}
