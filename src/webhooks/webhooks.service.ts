import { randomBytes } from 'node:crypto';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { Caller } from '../common/auth/caller.js';
import { accessRefusal } from '../common/auth/page-access.js';
import { ErrorCode } from '../common/errors/error-code.js';
import { GatewayError, type FieldViolation } from '../common/errors/gateway-error.js';
import { DATE_TIME_RULE, parseIsoDateTime } from '../common/scalars/date-time.scalar.js';
import { GatewayConfig } from '../config/gateway-config.js';
import { EventOutbox } from '../mirror/event-outbox.js';
import { isValidPageId } from '../pancake/path-segments.js';
import { DeliveriesStore } from './deliveries.store.js';
import { checkTarget } from './target-lookup.js';
import { WEBHOOK_CLOCK, type WebhookClock } from './webhook-clock.js';
import { newWebhookSecret } from './webhook-signing.js';
import { PRIVATE_TARGET_RULE, urlViolations } from './webhook-target.policy.js';
import type { DeliveryView, WebhookChanges, WebhookView } from './webhook.types.js';
import { WebhooksStore, viewOf, type WebhookRow } from './webhooks.store.js';

export const EVENT_TYPES = [
  'CUSTOMER_CREATED',
  'CUSTOMER_UPDATED',
  'NOTE_CREATED',
  'NOTE_UPDATED',
  'NOTE_REMOVED',
] as const;

/** How long the secret before a rotation still signs (receivers switch within it). */
export const ROTATION_GRACE_MS = 24 * 3600_000;
const MAX_DESCRIPTION_LENGTH = 500;
const MAX_PAGE_IDS = 100;
const MAX_DELIVERIES_LISTED = 500;

/**
 * Webhook management for the calling key: its own endpoints only (another key's are 404),
 * for pages it may read, at most WEBHOOK_MAX_PER_KEY of them. Also registers the outbox
 * writer that queues deliveries with each batch of events.
 */
@Injectable()
export class WebhooksService implements OnModuleInit {
  constructor(
    private readonly config: GatewayConfig,
    private readonly store: WebhooksStore,
    private readonly deliveries: DeliveriesStore,
    private readonly outbox: EventOutbox,
    @Inject(WEBHOOK_CLOCK) private readonly clock: WebhookClock,
  ) {}

  onModuleInit(): void {
    this.outbox.register((trx, pageId, events) =>
      this.store.queueDeliveries(trx, pageId, events, this.clock.now()),
    );
  }

  async create(
    caller: Caller,
    input: WebhookChanges,
  ): Promise<{ webhook: WebhookView; secret: string }> {
    const valid = await this.validated(caller, input, true);
    const secret = newWebhookSecret();
    const row = await this.store.insert(
      {
        id: `wh_${randomBytes(12).toString('hex')}`,
        owner: caller.keyName,
        url: valid.url!,
        pageIds: valid.pageIds!,
        types: valid.types ?? [],
        description: valid.description ?? null,
        secret,
      },
      this.config.webhooks.maxPerKey,
      this.clock.now(),
    );
    if (row === 'limit')
      throw GatewayError.badInput([
        {
          field: 'webhooks',
          rule: `an API key may own at most ${this.config.webhooks.maxPerKey} webhooks`,
        },
      ]);
    return { webhook: viewOf(row), secret };
  }

  async list(caller: Caller): Promise<WebhookView[]> {
    return (await this.store.list(caller.keyName)).map(viewOf);
  }

  async get(caller: Caller, id: string): Promise<WebhookView> {
    return viewOf(await this.owned(caller, id));
  }

  async update(caller: Caller, id: string, changes: WebhookChanges): Promise<WebhookView> {
    await this.owned(caller, id);
    const valid = await this.validated(caller, changes, false);
    const now = this.clock.now();
    const row = await this.store.update(caller.keyName, id, {
      ...(valid.url !== undefined && { url: valid.url }),
      ...(valid.pageIds !== undefined && { page_ids: valid.pageIds }),
      ...(valid.types !== undefined && { types: valid.types ?? [] }),
      ...(valid.description !== undefined && { description: valid.description }),
      ...(valid.enabled !== undefined && {
        enabled: valid.enabled,
        disabled_reason: valid.enabled ? null : 'disabled by its owner',
      }),
      updated_at: now,
    });
    if (!row) throw notFound(id);
    return viewOf(row);
  }

  async delete(caller: Caller, id: string): Promise<boolean> {
    if (!(await this.store.delete(caller.keyName, id))) throw notFound(id);
    return true;
  }

  /** A new secret, shown once; the old one still signs for ROTATION_GRACE_MS. */
  async rotateSecret(
    caller: Caller,
    id: string,
  ): Promise<{ webhook: WebhookView; secret: string }> {
    const current = await this.owned(caller, id);
    const now = this.clock.now();
    const secret = newWebhookSecret();
    const row = await this.store.update(caller.keyName, id, {
      secret,
      previous_secret: current.secret,
      previous_secret_until: new Date(now.getTime() + ROTATION_GRACE_MS),
      updated_at: now,
    });
    if (!row) throw notFound(id);
    return { webhook: viewOf(row), secret };
  }

  /** Queues every event since `since` again (dead ones included); returns how many. */
  async replay(caller: Caller, id: string, since: Date | string): Promise<number> {
    const from = typeof since === 'string' ? parseIsoDateTime(since) : since;
    if (!from) throw GatewayError.badInput([{ field: 'since', rule: DATE_TIME_RULE }]);
    const webhook = await this.owned(caller, id);
    return this.store.replay(webhook, from, this.clock.now());
  }

  async deliveriesOf(caller: Caller, id: string, first = 50): Promise<DeliveryView[]> {
    if (!Number.isInteger(first) || first < 1 || first > MAX_DELIVERIES_LISTED)
      throw GatewayError.badInput([
        {
          field: 'first',
          rule: `must be an integer from 1 to ${MAX_DELIVERIES_LISTED}`,
          value: first,
        },
      ]);
    await this.owned(caller, id);
    return this.deliveries.recent(id, first);
  }

  private async owned(caller: Caller, id: string): Promise<WebhookRow> {
    const row = /^wh_[0-9a-f]{24}$/.test(id) ? await this.store.get(caller.keyName, id) : undefined;
    if (!row) throw notFound(id);
    return row;
  }

  /**
   * The changes, checked: form first (400 naming each field), then page access (403), then
   * where the URL resolves (400), so nothing is stored unless all of it holds.
   */
  private async validated(
    caller: Caller,
    input: WebhookChanges,
    creating: boolean,
  ): Promise<WebhookChanges> {
    const violations: FieldViolation[] = [];
    if (creating && input.url === undefined) violations.push({ field: 'url', rule: 'is required' });
    if (input.url !== undefined) violations.push(...urlViolations(input.url));
    if (creating && input.pageIds === undefined)
      violations.push({ field: 'pageIds', rule: 'is required' });
    if (input.pageIds !== undefined) {
      if (input.pageIds.length === 0 || input.pageIds.length > MAX_PAGE_IDS)
        violations.push({ field: 'pageIds', rule: `must list 1 to ${MAX_PAGE_IDS} page ids` });
      input.pageIds.forEach((pageId, index) => {
        if (!isValidPageId(pageId))
          violations.push({
            field: `pageIds[${index}]`,
            rule: 'must be 1 to 32 digits',
            value: pageId,
          });
      });
    }
    input.types?.forEach((type, index) => {
      if (!(EVENT_TYPES as readonly string[]).includes(type))
        violations.push({
          field: `types[${index}]`,
          rule: `must be one of ${EVENT_TYPES.join(', ')}`,
          value: type,
        });
    });
    if (input.description && input.description.length > MAX_DESCRIPTION_LENGTH)
      violations.push({
        field: 'description',
        rule: `must be at most ${MAX_DESCRIPTION_LENGTH} characters`,
      });
    if (violations.length > 0) throw GatewayError.badInput(violations);

    const pageIds = input.pageIds ? [...new Set(input.pageIds)] : undefined;
    pageIds?.forEach((pageId) => {
      const index = input.pageIds!.indexOf(pageId);
      const refusal =
        accessRefusal(caller, pageId, 'read') ??
        (this.config.pancake.pageTokens.has(pageId)
          ? null
          : GatewayError.notFound(`Page ${pageId} is not configured on this gateway`));
      if (refusal)
        throw new GatewayError(refusal.code, `pageIds[${index}]: ${refusal.message}`, {
          details: { violations: [{ field: `pageIds[${index}]`, rule: refusal.message }] },
        });
    });

    if (input.url !== undefined && !this.config.webhooks.allowPrivateTargets) {
      const target = await checkTarget(input.url);
      if (target !== 'public')
        throw GatewayError.badInput([
          {
            field: 'url',
            rule: target === 'private' ? PRIVATE_TARGET_RULE : 'must name a host that resolves',
          },
        ]);
    }
    return {
      ...input,
      pageIds,
      types: input.types === null ? [] : input.types ? [...new Set(input.types)] : input.types,
    };
  }
}

function notFound(id: string): GatewayError {
  return new GatewayError(ErrorCode.NOT_FOUND, `Webhook ${id.slice(0, 64)} not found`);
}
