import { Args, Context, ID, Int, Query, Resolver, Subscription } from '@nestjs/graphql';
import type { Caller } from '../common/auth/caller.js';
import { CurrentCaller } from '../common/auth/current-caller.decorator.js';
import { ErrorCode } from '../common/errors/error-code.js';
import { GatewayError } from '../common/errors/gateway-error.js';
import type { SubscriptionSocket } from '../common/graphql/graphql-context.js';
import { CustomerEventType } from '../mirror/models/mirror-enums.js';
import type { CustomerEventPageView, CustomerEventView } from './customer-event-view.js';
import { FeedService } from './feed.service.js';
import { CustomerEvent, CustomerEventPage } from './models/customer-event.model.js';

/** graphql-ws close code for a page outside the key's pages (the contract's 4403). */
const CLOSE_FORBIDDEN = 4403;

@Resolver(() => CustomerEvent)
export class CustomerEventsResolver {
  constructor(private readonly feed: FeedService) {}

  @Query(() => CustomerEventPage, {
    name: 'customerEvents',
    description: "The page's recorded events after a cursor, oldest first",
  })
  customerEvents(
    @CurrentCaller() caller: Caller,
    @Args('pageId', { type: () => ID }) pageId: string,
    @Args('after', { type: () => String, nullable: true }) after: string | null,
    @Args('first', { type: () => Int, nullable: true, defaultValue: 100 }) first: number | null,
    @Args('types', { type: () => [CustomerEventType], nullable: true })
    types: CustomerEventType[] | null,
  ): Promise<CustomerEventPageView> {
    return this.feed.page(caller, pageId, { after, limit: first, limitField: 'first', types });
  }

  @Subscription(() => CustomerEvent, {
    name: 'customerEvents',
    description: 'Events after `after` (stored first), then live ones; from now without `after`',
    resolve: (event: CustomerEventView) => event,
  })
  async subscribeCustomerEvents(
    @CurrentCaller() caller: Caller,
    @Context('socket') socket: SubscriptionSocket | undefined,
    @Args('pageId', { type: () => ID }) pageId: string,
    @Args('types', { type: () => [CustomerEventType], nullable: true })
    types: CustomerEventType[] | null,
    @Args('after', { type: () => String, nullable: true }) after: string | null,
  ): Promise<AsyncIterableIterator<CustomerEventView>> {
    try {
      const follower = await this.feed.follow(caller, pageId, { after, types });
      return mapIterator(follower, (event) => this.feed.view(event));
    } catch (error) {
      if (error instanceof GatewayError && error.code === ErrorCode.FORBIDDEN)
        socket?.close(CLOSE_FORBIDDEN, 'Forbidden');
      throw error;
    }
  }
}

/** The follower's events as views; return() reaches the follower (graphql-ws unsubscribing). */
function mapIterator<T, U>(
  source: AsyncIterableIterator<T>,
  map: (value: T) => U,
): AsyncIterableIterator<U> {
  return {
    async next() {
      const result = await source.next();
      return result.done
        ? { value: undefined, done: true }
        : { value: map(result.value), done: false };
    },
    async return() {
      await source.return?.();
      return { value: undefined, done: true };
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
