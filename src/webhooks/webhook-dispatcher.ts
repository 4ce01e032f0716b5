import { randomUUID } from 'node:crypto';
import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import type { Subscription } from 'rxjs';
import { GatewayConfig } from '../config/gateway-config.js';
import { DatabaseService } from '../infra/database/database.service.js';
import { GatewayMetrics } from '../metrics/gateway-metrics.js';
import { MirrorEvents } from '../mirror/mirror-events.js';
import { BatchedWrites } from './batched-writes.js';
import { DeliveriesStore, type ClaimedDelivery, type SettledAttempt } from './deliveries.store.js';
import { DELIVERY_TIMEOUT_MS } from './delivery-schedule.policy.js';
import { EndpointSlots } from './endpoint-slots.js';
import { outcomeOf, webhookRequest } from './webhook-attempt.js';
import { WEBHOOK_CLOCK, type WebhookClock } from './webhook-clock.js';
import { WebhookSender, type AttemptResult } from './webhook-sender.js';
import { WebhooksStore } from './webhooks.store.js';

/** A claim outlives the longest send (15 s) with room for a queued wait and the settle. */
const CLAIM_LEASE_MS = DELIVERY_TIMEOUT_MS * 2 + 30_000;
/** Queue gauges are refreshed at most this often (a count over the outbox). */
const GAUGE_REFRESH_MS = 5000;

/**
 * Sends due deliveries, on every replica: claims a batch (SKIP LOCKED, leased), sends each
 * outside the transaction, writes the result under the claim. Woken by events this process
 * records and by a poll for the rest (other replicas' events, retries coming due).
 */
@Injectable()
export class WebhookDispatcher implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Webhooks');
  private readonly sender: WebhookSender;
  private readonly slots: EndpointSlots;
  private readonly settles: BatchedWrites<SettledAttempt>;
  private readonly owner = randomUUID();
  private inFlight = 0;
  private timer?: NodeJS.Timeout;
  private subscription?: Subscription;
  private claiming = false;
  private again = false;
  private stopped = false;
  private gaugesAt = 0;
  private readonly sends = new Set<Promise<void>>();

  constructor(
    private readonly config: GatewayConfig,
    private readonly database: DatabaseService,
    private readonly deliveries: DeliveriesStore,
    private readonly webhooks: WebhooksStore,
    private readonly events: MirrorEvents,
    private readonly metrics: GatewayMetrics,
    @Inject(WEBHOOK_CLOCK) private readonly clock: WebhookClock,
  ) {
    this.sender = new WebhookSender(config.webhooks.allowPrivateTargets);
    this.slots = new EndpointSlots(config.webhooks.concurrencyPerEndpoint);
    this.settles = new BatchedWrites((results) => this.deliveries.settle(results));
  }

  onApplicationBootstrap(): void {
    this.subscription = this.events.stream.subscribe(() => this.wake());
    this.schedule();
  }

  /** Before the database closes: results of sends in progress are still recorded. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.subscription?.unsubscribe();
    // Sends in progress finish (at most 15 s); unsent claims expire and another replica sends.
    await Promise.allSettled([...this.sends]);
    await this.sender.close();
  }

  /** Looks for due deliveries now (coalesced: one claim at a time, one more if asked meanwhile). */
  wake(): void {
    if (this.stopped) return;
    if (this.claiming) {
      this.again = true;
      return;
    }
    this.claiming = true;
    void this.claimAndSend()
      .catch((error: unknown) =>
        this.logger.warn({ msg: 'Webhook claim failed', error: (error as Error).message }),
      )
      .finally(() => {
        this.claiming = false;
        if (this.again && !this.stopped) {
          this.again = false;
          this.wake();
        }
      });
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.wake();
      this.schedule();
    }, this.config.webhooks.pollIntervalMs);
    this.timer.unref();
  }

  private async claimAndSend(): Promise<void> {
    // A process that never opened its database has no webhooks to send (and keeps it closed).
    if (!this.database.opened) return;
    const { maxConcurrency, concurrencyPerEndpoint } = this.config.webhooks;
    const room = maxConcurrency - this.inFlight;
    if (room <= 0) return;
    const now = this.clock.now();
    await this.refreshGauges(now);
    const claimed = await this.deliveries.claim({
      now,
      lockedUntil: new Date(now.getTime() + CLAIM_LEASE_MS),
      claimToken: `${this.owner}:${randomUUID()}`,
      limit: room,
      perEndpoint: concurrencyPerEndpoint,
      busyEndpoints: this.slots.saturated(),
    });
    for (const delivery of claimed) {
      const send = this.deliver(delivery)
        .catch((error: unknown) =>
          // Not sent (its request could not be built): the claim lapses and it is tried again.
          this.logger.error({
            msg: 'Webhook attempt failed',
            deliveryId: delivery.id,
            error: (error as Error).message,
          }),
        )
        .finally(() => this.sends.delete(send));
      this.sends.add(send);
    }
    // A full batch means more may be due: claim again once this one is under way.
    if (claimed.length === room) this.again = true;
  }

  private async deliver(delivery: ClaimedDelivery): Promise<void> {
    this.inFlight += 1;
    await this.slots.acquire(delivery.webhookId);
    let result: AttemptResult;
    try {
      result = await this.sender.send(
        webhookRequest(delivery, this.config.pancake.avatarBaseUrl, new Date(), this.clock.now()),
      );
    } finally {
      const freed = this.slots.release(delivery.webhookId);
      const wasFull = this.inFlight >= this.config.webhooks.maxConcurrency;
      this.inFlight -= 1;
      // Claim more only when there is room for it: a slot passed to a waiting delivery of the
      // same endpoint needs no query.
      if (freed || wasFull) this.wake();
    }
    const attemptedAt = this.clock.now();
    const { verdict, outcome, label } = outcomeOf(
      delivery.attempt,
      result,
      attemptedAt,
      this.config.webhooks.retryScale,
    );
    try {
      if (verdict === 'gone')
        await this.webhooks.disable(delivery.webhookId, 'answered 410 Gone', attemptedAt);
      await this.settles.add({ delivery, outcome });
    } catch (error) {
      // The claim lapses and the delivery is sent again: at least once, never lost.
      this.logger.warn({
        msg: 'Webhook attempt not recorded',
        deliveryId: delivery.id,
        error: (error as Error).message,
      });
    }
    this.metrics.webhookDeliveries.inc({ outcome: label });
    this.metrics.webhookAttemptDuration.observe({ outcome: label }, result.durationMs / 1000);
    // One line per attempt: ids, host and result; never the secret, the path or the body.
    this.logger.log({
      msg: 'Webhook attempt',
      webhookId: delivery.webhookId,
      deliveryId: delivery.id,
      eventId: delivery.event.id,
      attempt: delivery.attempt,
      host: new URL(delivery.url).host,
      responseStatus: result.status,
      error: result.error,
      outcome: label,
      durationMs: result.durationMs,
    });
  }

  private async refreshGauges(now: Date): Promise<void> {
    if (now.getTime() - this.gaugesAt < GAUGE_REFRESH_MS) return;
    this.gaugesAt = now.getTime();
    const { waiting, dead } = await this.deliveries.depth();
    this.metrics.webhookQueueDepth.set(waiting);
    this.metrics.webhookDead.set(dead);
  }
}
