import { Module, type DynamicModule } from '@nestjs/common';
import { MirrorModule } from '../mirror/mirror.module.js';
import { DeliveriesStore } from './deliveries.store.js';
import { WEBHOOK_CLOCK, systemClock, type WebhookClock } from './webhook-clock.js';
import { WebhookDispatcher } from './webhook-dispatcher.js';
import { WebhooksController } from './webhooks.controller.js';
import { WebhooksResolver } from './webhooks.resolver.js';
import { WebhooksService } from './webhooks.service.js';
import { WebhooksStore } from './webhooks.store.js';

/**
 * Signed webhooks: management (both transports), the outbox written with each batch of
 * events, and the dispatcher that sends it on every replica.
 */
@Module({})
export class WebhooksModule {
  /** `clock`: the time schedules run on (tests pass one they can advance). */
  static forRoot(clock: WebhookClock = systemClock): DynamicModule {
    return {
      module: WebhooksModule,
      imports: [MirrorModule],
      providers: [
        { provide: WEBHOOK_CLOCK, useValue: clock },
        WebhooksStore,
        DeliveriesStore,
        WebhooksService,
        WebhookDispatcher,
        WebhooksResolver,
      ],
      controllers: [WebhooksController],
    };
  }
}
