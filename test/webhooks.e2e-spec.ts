// Webhook management over REST and GraphQL: owned by the calling key, limited to the pages it
// may read, bad input refused by field and rule with nothing stored, the secret shown once,
// private targets refused at creation (WEBHOOK_ALLOW_PRIVATE_TARGETS=false, the default).
import request from 'supertest';
import { GraphqlClient } from './support/graphql-client.js';
import { bearer, startStack, TEST_KEYS } from './support/gateway.js';

// A public address literal: accepted without DNS, and nothing is ever sent to it here (no sync).
const PUBLIC_URL = 'http://93.184.216.34/hooks/pancake';

describe('webhook management', () => {
  let stack: Awaited<ReturnType<typeof startStack>>;
  let gql: GraphqlClient;
  const api = (key: string = TEST_KEYS.admin) => ({
    get: (path: string) => request(stack.gateway.url).get(path).set('Authorization', bearer(key)),
    post: (path: string, body: object = {}) =>
      request(stack.gateway.url).post(path).set('Authorization', bearer(key)).send(body),
    patch: (path: string, body: object) =>
      request(stack.gateway.url).patch(path).set('Authorization', bearer(key)).send(body),
    delete: (path: string) =>
      request(stack.gateway.url).delete(path).set('Authorization', bearer(key)),
  });

  beforeAll(async () => {
    stack = await startStack({}, { WEBHOOK_MAX_PER_KEY: '3' });
    gql = new GraphqlClient(stack.gateway.url);
  });
  afterAll(() => stack.close());

  const listIds = async (key: string = TEST_KEYS.admin): Promise<string[]> => {
    const response = await api(key).get('/v1/webhooks').expect(200);
    return (response.body as { id: string }[]).map((w) => w.id);
  };

  it('creates over REST: 201 with the secret once, never again', async () => {
    const created = await api()
      .post('/v1/webhooks', { url: PUBLIC_URL, pageIds: ['111'], description: 'CRM' })
      .expect(201);
    const { webhook, secret } = created.body as {
      webhook: Record<string, unknown>;
      secret: string;
    };
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/=]{40,}$/);
    expect(webhook).toEqual({
      id: expect.stringMatching(/^wh_[0-9a-f]{24}$/),
      url: PUBLIC_URL,
      pageIds: ['111'],
      types: [],
      enabled: true,
      description: 'CRM',
      createdAt: expect.stringMatching(/Z$/),
    });
    const read = await api()
      .get(`/v1/webhooks/${String(webhook.id)}`)
      .expect(200);
    expect(read.body).toEqual(webhook);
    const list = await api().get('/v1/webhooks').expect(200);
    expect(JSON.stringify(list.body)).not.toContain(secret);
    const { body } = await gql.gql('{ webhooks { id url pageIds types enabled description } }');
    expect(body.data!.webhooks).toContainEqual(
      expect.objectContaining({ id: webhook.id, url: PUBLIC_URL, enabled: true }),
    );
    await api()
      .delete(`/v1/webhooks/${String(webhook.id)}`)
      .expect(204);
  });

  it('manages over GraphQL: create, update, rotate, delete', async () => {
    const created = await gql.gql(
      `mutation($input: WebhookInput!) { createWebhook(input: $input) { webhook { id types } secret } }`,
      { input: { url: PUBLIC_URL, pageIds: ['111', '222'], types: ['CUSTOMER_CREATED'] } },
    );
    expect(created.body.errors).toBeUndefined();
    const { webhook, secret } = created.body.data!.createWebhook as {
      webhook: { id: string; types: string[] };
      secret: string;
    };
    expect(webhook.types).toEqual(['CUSTOMER_CREATED']);
    const updated = await gql.gql(
      `mutation($id: ID!, $input: WebhookInput!) { updateWebhook(id: $id, input: $input, enabled: false) { enabled pageIds } }`,
      { id: webhook.id, input: { url: PUBLIC_URL, pageIds: ['222'] } },
    );
    expect(updated.body.data!.updateWebhook).toEqual({ enabled: false, pageIds: ['222'] });
    const rotated = await gql.gql(
      `mutation($id: ID!) { rotateWebhookSecret(id: $id) { webhook { id } secret } }`,
      { id: webhook.id },
    );
    const next = (rotated.body.data!.rotateWebhookSecret as { secret: string }).secret;
    expect(next).toMatch(/^whsec_/);
    expect(next).not.toBe(secret);
    const deliveries = await gql.gql(
      `query($id: ID!) { webhookDeliveries(webhookId: $id) { id status } }`,
      { id: webhook.id },
    );
    expect(deliveries.body.data!.webhookDeliveries).toEqual([]);
    const replayed = await gql.gql(
      `mutation($id: ID!) { replayWebhookEvents(id: $id, since: "2020-01-01T00:00:00Z") }`,
      { id: webhook.id },
    );
    expect(replayed.body.data!.replayWebhookEvents).toBe(0);
    const deleted = await gql.gql(`mutation($id: ID!) { deleteWebhook(id: $id) }`, {
      id: webhook.id,
    });
    expect(deleted.body.data!.deleteWebhook).toBe(true);
    expect(await listIds()).not.toContain(webhook.id);
  });

  it("keeps each key to its own webhooks: another key's are 404", async () => {
    const created = await api()
      .post('/v1/webhooks', { url: PUBLIC_URL, pageIds: ['222'] })
      .expect(201);
    const id = (created.body as { webhook: { id: string } }).webhook.id;
    const other = api(TEST_KEYS.page222);
    expect(await listIds(TEST_KEYS.page222)).toEqual([]);
    await other.get(`/v1/webhooks/${id}`).expect(404);
    await other.patch(`/v1/webhooks/${id}`, { enabled: false }).expect(404);
    await other.post(`/v1/webhooks/${id}/rotate-secret`).expect(404);
    await other.post(`/v1/webhooks/${id}/replay`, { since: '2020-01-01T00:00:00Z' }).expect(404);
    await other.get(`/v1/webhooks/${id}/deliveries`).expect(404);
    await other.delete(`/v1/webhooks/${id}`).expect(404);
    const { body } = await gql.gql('{ webhooks { id } }', {}, TEST_KEYS.page222);
    expect(body.data!.webhooks).toEqual([]);
    await api().get(`/v1/webhooks/${id}`).expect(200);
    await api().delete(`/v1/webhooks/${id}`).expect(204);
    await api().get(`/v1/webhooks/${id}`).expect(404);
  });

  it('PATCH changes fields, disables and enables', async () => {
    const created = await api()
      .post('/v1/webhooks', { url: PUBLIC_URL, pageIds: ['111'] })
      .expect(201);
    const id = (created.body as { webhook: { id: string } }).webhook.id;
    const off = await api()
      .patch(`/v1/webhooks/${id}`, { enabled: false, types: ['NOTE_CREATED'] })
      .expect(200);
    expect(off.body).toMatchObject({ enabled: false, types: ['NOTE_CREATED'], pageIds: ['111'] });
    const on = await api().patch(`/v1/webhooks/${id}`, { enabled: true }).expect(200);
    expect(on.body).toMatchObject({ enabled: true });
    await api().delete(`/v1/webhooks/${id}`).expect(204);
  });

  describe('bad input: 400 or 403 naming the field and the rule, nothing stored', () => {
    const violationsOf = (body: unknown): { field: string; rule: string }[] =>
      (body as { error: { details: { violations: { field: string; rule: string }[] } } }).error
        .details.violations;

    it.each([
      ['not http(s)', 'ftp://example.com/hook', 'must be an absolute http or https URL'],
      ['not a URL', 'not a url', 'must be an absolute http or https URL'],
      [
        'with credentials in it',
        'https://user:pw@example.com/hook',
        'must not contain credentials (user:password@)',
      ],
      ['over 2 KB', `https://example.com/${'a'.repeat(2100)}`, 'must be at most 2048 bytes'],
    ])('a URL %s', async (_label, url, rule) => {
      const field = 'url';
      const before = await listIds();
      const response = await api()
        .post('/v1/webhooks', { url, pageIds: ['111'] })
        .expect(400);
      expect((response.body as { error: { code: string } }).error.code).toBe('BAD_USER_INPUT');
      expect(violationsOf(response.body)).toContainEqual(expect.objectContaining({ field, rule }));
      expect(JSON.stringify(response.body)).not.toContain(':pw@');
      expect(await listIds()).toEqual(before);
    });

    it('an unknown event type (REST and GraphQL)', async () => {
      const response = await api()
        .post('/v1/webhooks', { url: PUBLIC_URL, pageIds: ['111'], types: ['CUSTOMER_DELETED'] })
        .expect(400);
      expect(violationsOf(response.body)).toEqual([
        expect.objectContaining({ field: 'types[0]', rule: expect.stringContaining('one of') }),
      ]);
      const { body } = await gql.gql(
        `mutation { createWebhook(input: {url: "${PUBLIC_URL}", pageIds: ["111"], types: [CUSTOMER_DELETED]}) { secret } }`,
      );
      expect(body.errors![0].message).toContain('CUSTOMER_DELETED');
      expect(await listIds()).toEqual([]);
    });

    it('a page the key may not read: 403 naming pageIds[i]; an unknown page: 404', async () => {
      const response = await api(TEST_KEYS.page222)
        .post('/v1/webhooks', { url: PUBLIC_URL, pageIds: ['222', '111'] })
        .expect(403);
      expect((response.body as { error: { message: string } }).error.message).toMatch(
        /^pageIds\[1\]: .*may not access page 111/,
      );
      await api()
        .post('/v1/webhooks', { url: PUBLIC_URL, pageIds: ['999'] })
        .expect(404);
      const bad = await api()
        .post('/v1/webhooks', { url: PUBLIC_URL, pageIds: ['abc'] })
        .expect(400);
      expect(violationsOf(bad.body)).toEqual([
        expect.objectContaining({ field: 'pageIds[0]', rule: 'must be 1 to 32 digits' }),
      ]);
      await api().post('/v1/webhooks', { url: PUBLIC_URL, pageIds: [] }).expect(400);
      expect(await listIds(TEST_KEYS.page222)).toEqual([]);
      expect(await listIds()).toEqual([]);
    });

    it('more webhooks than a key may own (WEBHOOK_MAX_PER_KEY=3)', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 3; i += 1) {
        const created = await api()
          .post('/v1/webhooks', { url: PUBLIC_URL, pageIds: ['111'] })
          .expect(201);
        ids.push((created.body as { webhook: { id: string } }).webhook.id);
      }
      const response = await api()
        .post('/v1/webhooks', { url: PUBLIC_URL, pageIds: ['111'] })
        .expect(400);
      expect(violationsOf(response.body)).toEqual([
        { field: 'webhooks', rule: 'an API key may own at most 3 webhooks' },
      ]);
      expect((await listIds()).sort()).toEqual([...ids].sort());
      // Another key has a limit of its own.
      const other = await api(TEST_KEYS.reader)
        .post('/v1/webhooks', { url: PUBLIC_URL, pageIds: ['111'] })
        .expect(201);
      await api(TEST_KEYS.reader)
        .delete(`/v1/webhooks/${(other.body as { webhook: { id: string } }).webhook.id}`)
        .expect(204);
      for (const id of ids) await api().delete(`/v1/webhooks/${id}`).expect(204);
    });

    it('a replay since a date that is not one', async () => {
      const created = await api()
        .post('/v1/webhooks', { url: PUBLIC_URL, pageIds: ['111'] })
        .expect(201);
      const id = (created.body as { webhook: { id: string } }).webhook.id;
      const response = await api()
        .post(`/v1/webhooks/${id}/replay`, { since: 'yesterday' })
        .expect(400);
      expect(violationsOf(response.body)[0].field).toBe('since');
      await api().delete(`/v1/webhooks/${id}`).expect(204);
    });
  });

  describe('private targets are refused at creation', () => {
    it.each([
      'http://localhost:9/hook',
      'http://127.0.0.1:9/hook',
      'http://[::ffff:127.0.0.1]:9/hook',
      'http://[::1]:9/hook',
      'http://10.1.2.3/hook',
      'http://169.254.169.254/latest/meta-data',
      'http://[fd00::1]/hook',
      'http://0177.0.0.1/hook',
    ])('%s', async (url) => {
      const response = await api()
        .post('/v1/webhooks', { url, pageIds: ['111'] })
        .expect(400);
      expect(
        (response.body as { error: { details: { violations: unknown[] } } }).error.details
          .violations,
      ).toEqual([
        {
          field: 'url',
          rule: 'must not resolve to a loopback, private, link-local or unique-local address',
        },
      ]);
      expect(await listIds()).toEqual([]);
    });

    it('on update too', async () => {
      const created = await api()
        .post('/v1/webhooks', { url: PUBLIC_URL, pageIds: ['111'] })
        .expect(201);
      const id = (created.body as { webhook: { id: string } }).webhook.id;
      await api().patch(`/v1/webhooks/${id}`, { url: 'http://localhost/hook' }).expect(400);
      const read = await api().get(`/v1/webhooks/${id}`).expect(200);
      expect((read.body as { url: string }).url).toBe(PUBLIC_URL);
      await api().delete(`/v1/webhooks/${id}`).expect(204);
    });
  });
});
