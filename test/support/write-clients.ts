// Clients that behave as the chaos tester did: retry what the gateway says to retry,
// with the same Idempotency-Key for notes, until an answer or a bound.
import { setTimeout as sleep } from 'node:timers/promises';
import { bearer } from './gateway.js';

/** Statuses a client may retry: busy (409), rate limited (429), outcome unknown or down (5xx). */
const RETRYABLE = new Set([409, 429, 500, 502, 503, 504]);

export interface WriteAttempts {
  /** The final answer's status (the last one seen when the bound ran out). */
  status: number;
  body: unknown;
  /** Every status seen, in order. */
  statuses: number[];
  /** Slowest single answer, ms (a figure for the closing note, never asserted). */
  slowestMs: number;
}

/**
 * Sends one write until it is answered with a non-retryable status or boundMs passes,
 * alternating the gateways it is sent to (replicas), honouring Retry-After up to pauseCapMs.
 */
export async function retryWrite(
  urls: readonly string[],
  method: 'POST' | 'PATCH' | 'DELETE',
  path: string,
  body: unknown,
  options: { boundMs?: number; pauseCapMs?: number; idempotencyKey?: string; offset?: number } = {},
): Promise<WriteAttempts> {
  const boundAt = Date.now() + (options.boundMs ?? 20_000);
  const statuses: number[] = [];
  let slowestMs = 0;
  let last: { status: number; body: unknown } = { status: 0, body: undefined };
  for (let i = options.offset ?? 0; Date.now() < boundAt; i += 1) {
    const started = Date.now();
    const response = await fetch(`${urls[i % urls.length]}${path}`, {
      method,
      headers: {
        authorization: bearer(),
        'content-type': 'application/json',
        ...(options.idempotencyKey ? { 'idempotency-key': options.idempotencyKey } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    slowestMs = Math.max(slowestMs, Date.now() - started);
    last = { status: response.status, body: text ? (JSON.parse(text) as unknown) : undefined };
    statuses.push(response.status);
    if (!RETRYABLE.has(response.status)) break;
    const hinted = Number(response.headers.get('retry-after') ?? '0') * 1000;
    await sleep(Math.min(options.pauseCapMs ?? 300, Math.max(50, hinted)));
  }
  return { ...last, statuses, slowestMs };
}
