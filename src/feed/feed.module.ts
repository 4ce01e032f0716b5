import { Module } from '@nestjs/common';
import { MirrorModule } from '../mirror/mirror.module.js';
import { PancakeModule } from '../pancake/pancake.module.js';
import { CustomerEventsController } from './customer-events.controller.js';
import { CustomerEventsResolver } from './customer-events.resolver.js';
import { EventsStore } from './events.store.js';
import { FEED_SIGNALS_PROVIDER } from './feed.providers.js';
import { FeedService } from './feed.service.js';

/** The change feed: event pages, the GraphQL subscription and SSE, over the mirror's events. */
@Module({
  imports: [MirrorModule, PancakeModule],
  providers: [EventsStore, FEED_SIGNALS_PROVIDER, FeedService, CustomerEventsResolver],
  controllers: [CustomerEventsController],
})
export class FeedModule {}
