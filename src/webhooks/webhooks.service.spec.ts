import type { Caller } from '../common/auth/caller.js';
import { ErrorCode } from '../common/errors/error-code.js';
import { GatewayError } from '../common/errors/gateway-error.js';
import { loadConfig } from '../config/load-config.js';
import { EventOutbox } from '../mirror/event-outbox.js';
import type { DeliveriesStore } from './deliveries.store.js';
import type { WebhookClock } from './webhook-clock.js';
import { ROTATION_GRACE_MS, WebhooksService } from './webhooks.service.js';
import type { NewWebhook, WebhookRow, WebhooksStore } from './webhooks.store.js';

/** The endpoints table as a map: enough of WebhooksStore for the service's rules. */
class FakeWebhooksStore {
  readonly rows = new Map<string, WebhookRow>();
  inserts = 0;

  insert(webhook: NewWebhook, max: number, now: Date): Promise<WebhookRow | 'limit'> {
    this.inserts += 1;
    if ([...this.rows.values()].filter((r) => r.owner === webhook.owner).length >= max)
      return Promise.resolve('limit');
    const row: WebhookRow = {
      id: webhook.id,
      owner: webhook.owner,
      url: webhook.url,
      page_ids: webhook.pageIds,
      types: webhook.types,
      enabled: true,
      description: webhook.description,
      secret: webhook.secret,
      previous_secret: null,
      previous_secret_until: null,
      disabled_reason: null,
      created_at: now,
      updated_at: now,
    };
    this.rows.set(row.id, row);
    return Promise.resolve(row);
  }

  get(owner: string, id: string): Promise<WebhookRow | undefined> {
    const row = this.rows.get(id);
    return Promise.resolve(row?.owner === owner ? row : undefined);
  }

  update(owner: string, id: string, set: Partial<WebhookRow>): Promise<WebhookRow | undefined> {
    const row = this.rows.get(id);
    if (row?.owner !== owner) return Promise.resolve(undefined);
    Object.assign(row, set);
    return Promise.resolve(row);
  }

  delete(owner: string, id: string): Promise<boolean> {
    const row = this.rows.get(id);
    return Promise.resolve(row?.owner === owner && this.rows.delete(id));
  }
}

const caller = (keyName: string, pages: string[] | null = null): Caller => ({
  keyName,
  pages: pages ? new Set(pages) : null,
  scope: 'write',
});

describe('WebhooksService', () => {
  const at = new Date('2026-01-01T00:00:00Z');
  const clock: WebhookClock = { now: () => at };
  const setup = (env: Record<string, string> = {}) => {
    const config = loadConfig({
      PANCAKE_PAGE_TOKENS: '111=token-111,222=token-222',
      WEBHOOK_MAX_PER_KEY: '2',
      ...env,
    });
    const store = new FakeWebhooksStore();
    const service = new WebhooksService(
      config,
      store as unknown as WebhooksStore,
      {} as DeliveriesStore,
      new EventOutbox(),
      clock,
    );
    return { service, store };
  };
  const refusal = async (work: Promise<unknown>): Promise<GatewayError> => {
    const error = await work.then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(GatewayError);
    return error as GatewayError;
  };
  const PUBLIC = 'https://93.184.216.34/hook';

  it('names every bad field at once and stores nothing', async () => {
    const { service, store } = setup();
    const error = await refusal(
      service.create(caller('crm'), {
        url: 'ftp://x',
        pageIds: ['abc'],
        types: ['NOPE'],
        description: 'x'.repeat(501),
      }),
    );
    expect(error.code).toBe(ErrorCode.BAD_USER_INPUT);
    expect(error.details).toEqual({
      violations: [
        expect.objectContaining({ field: 'url' }),
        expect.objectContaining({ field: 'pageIds[0]' }),
        expect.objectContaining({ field: 'types[0]' }),
        expect.objectContaining({ field: 'description' }),
      ],
    });
    expect(store.inserts).toBe(0);
  });

  it('refuses a page the key may not read (403, naming it) and an unknown page (404)', async () => {
    const { service, store } = setup();
    const forbidden = await refusal(
      service.create(caller('crm', ['222']), { url: PUBLIC, pageIds: ['222', '111'] }),
    );
    expect(forbidden.code).toBe(ErrorCode.FORBIDDEN);
    expect(forbidden.message).toMatch(/^pageIds\[1\]: /);
    const unknown = await refusal(service.create(caller('crm'), { url: PUBLIC, pageIds: ['999'] }));
    expect(unknown.code).toBe(ErrorCode.NOT_FOUND);
    expect(store.inserts).toBe(0);
  });

  it('refuses private literals without asking DNS, unless private targets are allowed', async () => {
    const strict = setup();
    const error = await refusal(
      strict.service.create(caller('crm'), { url: 'http://[::ffff:127.0.0.1]/', pageIds: ['111'] }),
    );
    expect(error.details).toEqual({
      violations: [{ field: 'url', rule: expect.stringContaining('loopback') }],
    });
    const lenient = setup({ WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' });
    const created = await lenient.service.create(caller('crm'), {
      url: 'http://127.0.0.1:9/hook',
      pageIds: ['111'],
    });
    expect(created.webhook.url).toBe('http://127.0.0.1:9/hook');
  });

  it('keeps a key to WEBHOOK_MAX_PER_KEY and to its own webhooks', async () => {
    const { service } = setup();
    const first = await service.create(caller('crm'), { url: PUBLIC, pageIds: ['111', '111'] });
    expect(first.webhook.pageIds).toEqual(['111']);
    await service.create(caller('crm'), { url: PUBLIC, pageIds: ['111'] });
    const limit = await refusal(service.create(caller('crm'), { url: PUBLIC, pageIds: ['111'] }));
    expect(limit.details).toEqual({
      violations: [{ field: 'webhooks', rule: 'an API key may own at most 2 webhooks' }],
    });
    const id = first.webhook.id;
    for (const work of [
      service.get(caller('bi'), id),
      service.update(caller('bi'), id, { enabled: false }),
      service.rotateSecret(caller('bi'), id),
      service.delete(caller('bi'), id),
      service.replay(caller('bi'), id, at),
    ])
      expect((await refusal(work)).code).toBe(ErrorCode.NOT_FOUND);
    expect((await service.get(caller('crm'), id)).enabled).toBe(true);
  });

  it('rotates: a new secret, the old one still signing for the grace period', async () => {
    const { service, store } = setup();
    const { webhook, secret } = await service.create(caller('crm'), {
      url: PUBLIC,
      pageIds: ['111'],
    });
    const rotated = await service.rotateSecret(caller('crm'), webhook.id);
    expect(rotated.secret).not.toBe(secret);
    const row = store.rows.get(webhook.id)!;
    expect(row.secret).toBe(rotated.secret);
    expect(row.previous_secret).toBe(secret);
    expect(row.previous_secret_until).toEqual(new Date(at.getTime() + ROTATION_GRACE_MS));
    expect(JSON.stringify(rotated.webhook)).not.toContain(secret);
  });
});
