// Webhook delivery end to end: a customer inserted in the simulator is synced, recorded as an
// event, queued in the outbox with it and delivered once, signed (verified with the
// standardwebhooks package); a failing receiver sees the contract's retry schedule (on a fake
// clock), then the delivery is dead and a replay delivers it; a 410 disables the endpoint; a
// redirect is a failure and is not followed; a slow endpoint holds only its own slots.
import request from 'supertest';
import { RETRY_DELAYS_MS } from '../src/webhooks/delivery-schedule.policy.js';
import { startSimulator, type Simulator } from '../tools/pancake-sim/index.js';
import { bearer, startGateway, type TestGateway } from './support/gateway.js';
import { capturingLogger } from './support/log-capture.js';
import {
  eventually,
  FakeClock,
  verifyWebhook,
  WebhookReceiver,
} from './support/webhook-receiver.js';

interface DeliveryJson {
  id: string;
  eventId: string;
  attempt: number;
  status: string;
  responseStatus: number | null;
  nextAttemptAt: string | null;
  lastAttemptAt: string | null;
}

describe('webhook delivery', () => {
  let sim: Simulator;
  let gateway: TestGateway;
  const clock = new FakeClock();
  let logs: ReturnType<typeof capturingLogger>;
  const receivers: WebhookReceiver[] = [];

  beforeAll(async () => {
    sim = await startSimulator({ pages: ['111', '222', '333'], customers: 20 });
    gateway = await startGateway(
      sim,
      {
        SYNC_PAGES: '111,222,333',
        SYNC_INTERVAL_SECONDS: '1',
        WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
        WEBHOOK_POLL_INTERVAL_MS: '50',
        WEBHOOK_CONCURRENCY_PER_ENDPOINT: '2',
        LOG_LEVEL: 'info',
      },
      (config) => {
        logs = capturingLogger(config);
        return { logger: logs.logger, webhookClock: clock };
      },
    );
    for (const page of ['111', '222', '333'])
      await eventually(async () => {
        const { body } = await api().get(`/v1/pages/${page}/sync`);
        return (body as { state: string }).state === 'LIVE' ? true : undefined;
      });
  }, 60_000);
  afterAll(async () => {
    await gateway.close();
    await sim.close();
    await Promise.all(receivers.map((r) => r.close()));
  });

  const api = () => ({
    get: (path: string) => request(gateway.url).get(path).set('Authorization', bearer()),
    post: (path: string, body: object = {}) =>
      request(gateway.url).post(path).set('Authorization', bearer()).send(body),
  });

  const receiver = async (status = 200): Promise<WebhookReceiver> => {
    const r = await new WebhookReceiver().start();
    r.status = status;
    receivers.push(r);
    return r;
  };

  const createWebhook = async (
    url: string,
    pageId: string,
  ): Promise<{ id: string; secret: string }> => {
    const response = await api()
      .post('/v1/webhooks', { url, pageIds: [pageId] })
      .expect(201);
    const body = response.body as { webhook: { id: string }; secret: string };
    return { id: body.webhook.id, secret: body.secret };
  };

  const insertCustomer = async (pageId: string, name: string): Promise<string> => {
    const response = await request(sim.controlUrl)
      .post(`/pages/${pageId}/customers`)
      .send({ customers: [{ name }] })
      .expect(201);
    return (response.body as { customers: { id: string }[] }).customers[0].id;
  };

  const deliveries = async (webhookId: string): Promise<DeliveryJson[]> =>
    (await api().get(`/v1/webhooks/${webhookId}/deliveries`).expect(200)).body as DeliveryJson[];

  it('delivers a new customer once, signed as Standard Webhooks says', async () => {
    const hook = await receiver();
    const webhook = await createWebhook(hook.url, '111');
    const first = await insertCustomer('111', 'Webhook First');
    const [delivery] = await hook.waitFor(1);
    const body = verifyWebhook(webhook.secret, delivery);
    expect(body.type).toBe('customer.created');
    expect(body.data).toMatchObject({
      pageId: '111',
      customer: { id: first, name: 'Webhook First' },
      changedFields: [],
      note: null,
      origin: 'PANCAKE',
    });
    expect(body.data.customer.avatarUrl).toContain('/pages/111/avatar/');
    expect(delivery.headers['content-type']).toBe('application/json');
    expect(String(delivery.headers['webhook-id'])).toMatch(/^evt_/);
    // A second customer arrives after the first was settled: the first is not sent again.
    const second = await insertCustomer('111', 'Webhook Second');
    const all = await hook.waitFor(2);
    const bodies = all.map((r) => verifyWebhook(webhook.secret, r));
    expect(bodies.map((b) => b.data.customer.id)).toEqual([first, second]);
    expect(new Set(all.map((r) => r.headers['webhook-id'])).size).toBe(2);
    const settled = await eventually(async () => {
      const list = await deliveries(webhook.id);
      return list.length === 2 && list.every((d) => d.status === 'SUCCEEDED') ? list : undefined;
    });
    expect(settled.map((d) => [d.attempt, d.responseStatus, d.nextAttemptAt])).toEqual([
      [1, 200, null],
      [1, 200, null],
    ]);
    expect(settled.map((d) => d.eventId).sort()).toEqual(
      all.map((r) => String(r.headers['webhook-id'])).sort(),
    );
  });

  it('retries a failing receiver on the schedule, then dead, then a replay delivers', async () => {
    const hook = await receiver(500);
    const webhook = await createWebhook(hook.url, '222');
    const since = new Date(Date.now() - 1000).toISOString();
    await insertCustomer('222', 'Webhook Retried');
    await hook.waitFor(1);
    for (let attempt = 1; attempt <= RETRY_DELAYS_MS.length; attempt += 1) {
      const failed = await eventually(async () => {
        const [d] = await deliveries(webhook.id);
        return d?.status === 'FAILED' && d.attempt === attempt ? d : undefined;
      });
      expect(failed.responseStatus).toBe(500);
      expect(Date.parse(failed.nextAttemptAt!) - Date.parse(failed.lastAttemptAt!)).toBe(
        RETRY_DELAYS_MS[attempt - 1],
      );
      clock.advance(RETRY_DELAYS_MS[attempt - 1]);
      await hook.waitFor(attempt + 1);
    }
    const dead = await eventually(async () => {
      const [d] = await deliveries(webhook.id);
      return d?.status === 'DEAD' ? d : undefined;
    });
    expect(dead).toMatchObject({ attempt: 8, responseStatus: 500, nextAttemptAt: null });
    expect(hook.received).toHaveLength(8);
    // Every attempt carried the same event id and a valid signature.
    expect(new Set(hook.received.map((r) => r.headers['webhook-id'])).size).toBe(1);
    for (const r of hook.received) verifyWebhook(webhook.secret, r);

    // One log line per attempt, with no secret, path or body in it; the counters agree.
    const lines = await eventually(async () => {
      const mine = logs
        .lines()
        .filter((line) => line.includes('"Webhook attempt"') && line.includes(webhook.id));
      return mine.length === 8 ? mine : undefined;
    });
    expect(lines.map((line) => (JSON.parse(line) as { outcome: string }).outcome)).toEqual([
      ...Array<string>(7).fill('retry'),
      'dead',
    ]);
    for (const line of lines) {
      expect(line).toContain(`127.0.0.1:${hook.port}`);
      expect(line).not.toContain(webhook.secret.slice(6, 20));
      expect(line).not.toContain('/hook');
      expect(line).not.toContain('Webhook Retried');
    }
    const metrics = (await request(gateway.url).get('/metrics').expect(200)).text;
    expect(metrics).toMatch(/^gateway_webhook_deliveries_total\{outcome="dead"\} 1$/m);
    expect(metrics).toMatch(/^gateway_webhook_deliveries_total\{outcome="retry"\} [7-9]$/m);
    expect(metrics).toContain('gateway_webhook_queue_depth');
    expect(metrics).not.toContain(webhook.secret.slice(6, 20));

    hook.status = 200;
    const replay = await api().post(`/v1/webhooks/${webhook.id}/replay`, { since }).expect(200);
    expect(replay.body).toEqual({ queued: 1 });
    await hook.waitFor(9);
    const delivered = await eventually(async () => {
      const [d] = await deliveries(webhook.id);
      return d?.status === 'SUCCEEDED' ? d : undefined;
    });
    expect(delivered).toMatchObject({ attempt: 1, responseStatus: 200 });
    expect(verifyWebhook(webhook.secret, hook.received[8]).data.customer.name).toBe(
      'Webhook Retried',
    );
  });

  it('a slow endpoint holds at most its own slots and delays no other endpoint', async () => {
    const slow = await receiver();
    slow.holding = true;
    const fast = await receiver();
    const slowHook = await createWebhook(slow.url, '111');
    await createWebhook(fast.url, '111');
    await request(sim.controlUrl).post('/pages/111/customers').send({ count: 5 }).expect(201);
    // All five reach the fast endpoint while the slow one answers nothing.
    await fast.waitFor(5);
    await slow.waitFor(1);
    expect(slow.mostOpen).toBeLessThanOrEqual(2); // WEBHOOK_CONCURRENCY_PER_ENDPOINT
    expect(slow.received.length).toBeLessThanOrEqual(2);
    slow.release();
    await slow.waitFor(5);
    expect(new Set(slow.received.map((r) => r.headers['webhook-id'])).size).toBe(5);
    expect(slow.mostOpen).toBeLessThanOrEqual(2);
    await eventually(async () => {
      const list = await deliveries(slowHook.id);
      return list.length === 5 && list.every((d) => d.status === 'SUCCEEDED') ? true : undefined;
    });
  });

  it('a lapsed claim is sent again, and the late result of the old claim changes nothing', async () => {
    // What a replica killed mid-send leaves behind: a claim nobody will settle. Here its
    // sender is alive but stuck (the receiver holds the first request), so it also shows the
    // fence: its result, 15 s later, is not written over the newer one.
    const hook = await receiver();
    hook.holding = true;
    const webhook = await createWebhook(hook.url, '222');
    await insertCustomer('222', 'Webhook Lapsed');
    const [held] = await hook.waitFor(1);
    hook.holding = false;
    clock.advance(61_000); // past the 60 s claim
    const [, again] = await hook.waitFor(2);
    expect(again.headers['webhook-id']).toBe(held.headers['webhook-id']);
    verifyWebhook(webhook.secret, again);
    const delivered = await eventually(async () => {
      const [d] = await deliveries(webhook.id);
      return d?.status === 'SUCCEEDED' ? d : undefined;
    });
    expect(delivered).toMatchObject({ attempt: 2, responseStatus: 200 });
    // The stuck first attempt times out (15 s) and is logged; the delivery stays delivered.
    await eventually(
      async () =>
        logs
          .lines()
          .some(
            (line) =>
              line.includes('"Webhook attempt"') &&
              line.includes(webhook.id) &&
              line.includes('"timeout"'),
          ) || undefined,
      100,
    );
    expect(await deliveries(webhook.id)).toEqual([
      expect.objectContaining({ status: 'SUCCEEDED', attempt: 2, responseStatus: 200 }),
    ]);
  }, 40_000);

  it('a 410 disables the endpoint; a redirect is a failure, not followed', async () => {
    const gone = await receiver(410);
    const moved = await receiver(302);
    const witness = await receiver(200);
    const goneHook = await createWebhook(gone.url, '333');
    const movedHook = await createWebhook(moved.url, '333');
    const witnessHook = await createWebhook(witness.url, '333');
    await insertCustomer('333', 'Webhook Gone');
    await Promise.all([gone.waitFor(1), moved.waitFor(1), witness.waitFor(1)]);
    const disabled = await eventually(async () => {
      const { body } = await api().get(`/v1/webhooks/${goneHook.id}`).expect(200);
      return (body as { enabled: boolean }).enabled ? undefined : body;
    });
    expect(disabled).toMatchObject({ enabled: false });
    const [goneDelivery] = await deliveries(goneHook.id);
    expect(goneDelivery).toMatchObject({ responseStatus: 410, attempt: 1 });
    const movedDelivery = await eventually(async () => {
      const [d] = await deliveries(movedHook.id);
      return d?.status === 'FAILED' ? d : undefined;
    });
    expect(movedDelivery).toMatchObject({ responseStatus: 302, attempt: 1 });
    expect(moved.received.map((r) => r.headers['webhook-id'])).toHaveLength(1);

    // The next event reaches the witness; the disabled endpoint gets no delivery for it.
    await insertCustomer('333', 'Webhook After Gone');
    await witness.waitFor(2);
    expect(await deliveries(goneHook.id)).toHaveLength(1);
    expect(gone.received).toHaveLength(1);
    expect(await deliveries(witnessHook.id)).toHaveLength(2);
  });
});
