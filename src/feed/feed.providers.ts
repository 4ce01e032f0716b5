import type { Provider } from '@nestjs/common';
import { GatewayConfig } from '../config/gateway-config.js';
import { DatabaseService } from '../infra/database/database.service.js';
import { MirrorEvents } from '../mirror/mirror-events.js';
import { FeedSignals } from './feed-signals.js';
import { InProcessFeedSignals } from './in-process-feed-signals.js';
import { PostgresFeedSignals } from './postgres-feed-signals.js';

/** A PostgreSQL server is shared by replicas: LISTEN/NOTIFY. PGlite is one process: its stream. */
export const FEED_SIGNALS_PROVIDER: Provider = {
  provide: FeedSignals,
  inject: [GatewayConfig, MirrorEvents, DatabaseService],
  useFactory: (config: GatewayConfig, events: MirrorEvents, database: DatabaseService) =>
    config.database.url
      ? new PostgresFeedSignals(config.database.url, events, database)
      : new InProcessFeedSignals(events),
};
