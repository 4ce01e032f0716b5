import type { ClaimedDelivery } from './deliveries.store.js';
import { MAX_RETRY_AFTER_MS, outcomeOf, webhookRequest } from './webhook-attempt.js';
import { newWebhookSecret } from './webhook-signing.js';

describe('outcomeOf', () => {
  const at = new Date('2026-01-01T00:00:00Z');
  const result = (status: number | null, retryAfterMs?: number) => ({
    status,
    error: status === null ? 'timeout' : null,
    durationMs: 12,
    retryAfterMs,
  });

  it('2xx: succeeded, nothing more due', () => {
    expect(outcomeOf(3, result(204), at, 1)).toMatchObject({
      verdict: 'delivered',
      label: 'succeeded',
      outcome: { status: 'SUCCEEDED', responseStatus: 204, nextAttemptAt: null },
    });
  });

  it('a failure: retried on the schedule, dead after the 8th attempt', () => {
    expect(outcomeOf(1, result(500), at, 1).outcome).toMatchObject({
      status: 'FAILED',
      nextAttemptAt: new Date(at.getTime() + 5000),
    });
    expect(outcomeOf(2, result(null), at, 1).outcome).toMatchObject({
      status: 'FAILED',
      error: 'timeout',
      nextAttemptAt: new Date(at.getTime() + 300_000),
    });
    expect(outcomeOf(8, result(500), at, 1)).toMatchObject({
      label: 'dead',
      outcome: { status: 'DEAD', nextAttemptAt: null },
    });
  });

  it('410: the endpoint is disabled; the delivery keeps its schedule for when it is enabled', () => {
    expect(outcomeOf(1, result(410), at, 1)).toMatchObject({
      verdict: 'gone',
      label: 'disabled',
      outcome: { status: 'FAILED', responseStatus: 410 },
    });
  });

  it('honours a longer Retry-After, never beyond the longest wait, never shorter than the schedule', () => {
    const next = (attempt: number, retryAfterMs: number) =>
      outcomeOf(attempt, result(429, retryAfterMs), at, 1).outcome.nextAttemptAt!.getTime() -
      at.getTime();
    expect(next(1, 60_000)).toBe(60_000);
    expect(next(1, 1000)).toBe(5000);
    expect(next(1, 7 * 24 * 3600_000)).toBe(MAX_RETRY_AFTER_MS);
    expect(outcomeOf(8, result(429, 60_000), at, 1).outcome.status).toBe('DEAD');
  });
});

describe('webhookRequest', () => {
  const delivery = (previousSecretUntil: Date | null): ClaimedDelivery => ({
    id: 1,
    webhookId: 'wh_1',
    attempt: 1,
    claimToken: 't',
    url: 'https://example.com/hook',
    secret: newWebhookSecret(),
    previousSecret: newWebhookSecret(),
    previousSecretUntil,
    event: {
      id: 'evt_1',
      type: 'CUSTOMER_CREATED',
      origin: 'PANCAKE',
      page_id: '111',
      occurred_at: new Date('2026-01-01T00:00:00Z'),
      changed_fields: [],
      customer: { id: 'c1', psid: '1', notes: [] },
      note: null,
    },
  });
  const now = new Date('2026-01-01T00:00:00Z');

  it('signs with the previous secret too while its grace lasts, and only then', () => {
    const signatures = (until: Date | null) =>
      webhookRequest(delivery(until), 'https://pancake.vn/api/v1', now, now).headers[
        'webhook-signature'
      ].split(' ').length;
    expect(signatures(new Date(now.getTime() + 1000))).toBe(2);
    expect(signatures(new Date(now.getTime() - 1000))).toBe(1);
    expect(signatures(null)).toBe(1);
  });

  it('sends the Standard Webhooks headers: the event id, Unix seconds of sending', () => {
    const sentAt = new Date('2026-02-03T04:05:06.789Z');
    const request = webhookRequest(delivery(null), 'x', sentAt, now);
    expect(request.headers).toMatchObject({
      'content-type': 'application/json',
      'webhook-id': 'evt_1',
      'webhook-timestamp': String(Math.floor(sentAt.getTime() / 1000)),
    });
    expect(request.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
  });
});
