import { Args, ID, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import type { Caller } from '../common/auth/caller.js';
import { CurrentCaller } from '../common/auth/current-caller.decorator.js';
import { DateTimeScalar } from '../common/scalars/date-time.scalar.js';
import { Webhook, WebhookDelivery, WebhookWithSecret } from './models/webhook.model.js';
import { WebhookInput } from './models/webhook.input.js';
import type { DeliveryView, WebhookView } from './webhook.types.js';
import { WebhooksService } from './webhooks.service.js';

@Resolver(() => Webhook)
export class WebhooksResolver {
  constructor(private readonly service: WebhooksService) {}

  @Query(() => [Webhook], { description: "The calling key's own webhooks" })
  webhooks(@CurrentCaller() caller: Caller): Promise<WebhookView[]> {
    return this.service.list(caller);
  }

  @Query(() => [WebhookDelivery], { description: 'Recent deliveries of a webhook, newest first' })
  webhookDeliveries(
    @CurrentCaller() caller: Caller,
    @Args('webhookId', { type: () => ID }) webhookId: string,
    @Args('first', { type: () => Int, nullable: true, defaultValue: 50 }) first?: number | null,
  ): Promise<DeliveryView[]> {
    return this.service.deliveriesOf(caller, webhookId, first ?? undefined);
  }

  @Mutation(() => WebhookWithSecret, { description: 'The secret is shown only in this answer' })
  createWebhook(
    @CurrentCaller() caller: Caller,
    @Args('input', { type: () => WebhookInput }) input: WebhookInput,
  ): Promise<{ webhook: WebhookView; secret: string }> {
    return this.service.create(caller, input);
  }

  @Mutation(() => Webhook)
  updateWebhook(
    @CurrentCaller() caller: Caller,
    @Args('id', { type: () => ID }) id: string,
    @Args('input', { type: () => WebhookInput }) input: WebhookInput,
    @Args('enabled', { type: () => Boolean, nullable: true }) enabled?: boolean | null,
  ): Promise<WebhookView> {
    // The input is the whole definition: what it omits goes back to its default.
    return this.service.update(caller, id, {
      url: input.url,
      pageIds: input.pageIds,
      types: input.types ?? null,
      description: input.description ?? null,
      enabled: enabled ?? undefined,
    });
  }

  @Mutation(() => Boolean)
  deleteWebhook(
    @CurrentCaller() caller: Caller,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<boolean> {
    return this.service.delete(caller, id);
  }

  @Mutation(() => WebhookWithSecret, {
    description: 'A new secret, shown once; the old one still signs for 24 h',
  })
  rotateWebhookSecret(
    @CurrentCaller() caller: Caller,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<{ webhook: WebhookView; secret: string }> {
    return this.service.rotateSecret(caller, id);
  }

  @Mutation(() => Int, { description: 'Events since `since` queued again; returns how many' })
  replayWebhookEvents(
    @CurrentCaller() caller: Caller,
    @Args('id', { type: () => ID }) id: string,
    @Args('since', { type: () => DateTimeScalar }) since: Date,
  ): Promise<number> {
    return this.service.replay(caller, id, since);
  }
}
