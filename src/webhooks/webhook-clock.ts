/** The time webhook scheduling runs on: the system clock, or a test's clock it can advance. */
export interface WebhookClock {
  now(): Date;
}

export const WEBHOOK_CLOCK = Symbol('WEBHOOK_CLOCK');

export const systemClock: WebhookClock = { now: () => new Date() };
