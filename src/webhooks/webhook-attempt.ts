// One attempt of one delivery: the request (body, signatures) and what its answer means.
import type { AttemptOutcome, ClaimedDelivery } from './deliveries.store.js';
import {
  RETRY_DELAYS_MS,
  retryDelayMs,
  verdictOf,
  type AttemptVerdict,
} from './delivery-schedule.policy.js';
import { payloadOf } from './webhook-payload.js';
import type { AttemptResult, WebhookRequest } from './webhook-sender.js';
import { signatureHeader } from './webhook-signing.js';

/**
 * The signed request. `sentAt` is the real time (receivers check it against their clock);
 * `now` the scheduling clock, which decides whether a rotated secret still signs.
 */
export function webhookRequest(
  delivery: ClaimedDelivery,
  avatarBaseUrl: string,
  sentAt: Date,
  now: Date,
): WebhookRequest {
  const body = payloadOf(delivery.event, avatarBaseUrl);
  const secrets = [delivery.secret];
  if (delivery.previousSecret && delivery.previousSecretUntil && delivery.previousSecretUntil > now)
    secrets.push(delivery.previousSecret);
  return {
    url: delivery.url,
    body,
    headers: {
      'content-type': 'application/json',
      'user-agent': 'pancake-gateway-webhooks',
      'webhook-id': delivery.event.id,
      'webhook-timestamp': String(Math.floor(sentAt.getTime() / 1000)),
      'webhook-signature': signatureHeader(secrets, delivery.event.id, sentAt, body),
    },
  };
}

/** The longest Retry-After honoured: the schedule's longest wait. */
export const MAX_RETRY_AFTER_MS = Math.max(...RETRY_DELAYS_MS);

/** Metric and log label of an attempt's outcome. */
export type OutcomeLabel = 'succeeded' | 'retry' | 'dead' | 'disabled';

/** What the answer makes of the delivery: done, retried on the schedule, or dead. */
export function outcomeOf(
  attempt: number,
  result: AttemptResult,
  attemptedAt: Date,
  retryScale: number,
): { verdict: AttemptVerdict; outcome: AttemptOutcome; label: OutcomeLabel } {
  const verdict = verdictOf(result.status);
  const scheduled = verdict === 'delivered' ? null : retryDelayMs(attempt, retryScale);
  // A receiver asking for more time (429, 503) gets it, within the schedule's longest wait.
  const delay =
    scheduled === null || result.retryAfterMs === undefined
      ? scheduled
      : Math.min(Math.max(scheduled, result.retryAfterMs), MAX_RETRY_AFTER_MS);
  const status = verdict === 'delivered' ? 'SUCCEEDED' : delay === null ? 'DEAD' : 'FAILED';
  const label: OutcomeLabel =
    verdict === 'gone'
      ? 'disabled'
      : status === 'SUCCEEDED'
        ? 'succeeded'
        : status === 'DEAD'
          ? 'dead'
          : 'retry';
  return {
    verdict,
    label,
    outcome: {
      status,
      responseStatus: result.status,
      error: result.error,
      attemptedAt,
      nextAttemptAt: delay === null ? null : new Date(attemptedAt.getTime() + delay),
    },
  };
}
