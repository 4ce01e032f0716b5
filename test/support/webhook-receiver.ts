import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

/** One request a receiver got: its headers and the exact body bytes (as text). */
export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * A local webhook endpoint: records every request and answers with `status` (changeable
 * between attempts), as a partner's receiver would.
 */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  status = 200;
  /** While true, requests are read but not answered until release(): a slow endpoint. */
  holding = false;
  /** Requests read and not answered yet, and the most there ever were at once. */
  open = 0;
  mostOpen = 0;
  private held: Array<() => void> = [];
  private server?: Server;
  private waiters: Array<() => void> = [];

  /** http://127.0.0.1:PORT/hook */
  url = '';
  port = 0;

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        this.received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        const answer = (): void => {
          this.open -= 1;
          res.statusCode = this.status;
          if (this.status >= 300 && this.status < 400) res.setHeader('location', '/elsewhere');
          res.end();
        };
        this.open += 1;
        this.mostOpen = Math.max(this.mostOpen, this.open);
        if (this.holding) this.held.push(answer);
        else answer();
        for (const wake of this.waiters.splice(0)) wake();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    this.url = `http://127.0.0.1:${this.port}/hook`;
    return this;
  }

  /** Resolves once `count` requests in all have arrived (the suite's timeout bounds it). */
  async waitFor(count: number): Promise<ReceivedWebhook[]> {
    while (this.received.length < count)
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    return this.received;
  }

  /** The requests for one event (webhook-id). */
  of(eventId: string): ReceivedWebhook[] {
    return this.received.filter((r) => r.headers['webhook-id'] === eventId);
  }

  /** Answers every held request and stops holding. */
  release(): void {
    this.holding = false;
    for (const answer of this.held.splice(0)) answer();
  }

  async close(): Promise<void> {
    this.release();
    for (const wake of this.waiters.splice(0)) wake();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}

/** Verifies a request as a receiver would, with the standardwebhooks package; returns the body. */
export function verifyWebhook(secret: string, request: ReceivedWebhook): WebhookBody {
  return new Webhook(secret).verify(request.body, {
    'webhook-id': String(request.headers['webhook-id']),
    'webhook-timestamp': String(request.headers['webhook-timestamp']),
    'webhook-signature': String(request.headers['webhook-signature']),
  }) as WebhookBody;
}

export interface WebhookBody {
  type: string;
  timestamp: string;
  data: {
    pageId: string;
    customer: { id: string; name: string | null; avatarUrl: string };
    changedFields: string[];
    note: unknown;
    origin: string;
  };
}

/** A clock tests move forward: real time plus what they added (so work still flows). */
export class FakeClock {
  private offsetMs = 0;
  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }
  advance(ms: number): void {
    this.offsetMs += ms;
  }
}

/** Polls `probe` until it returns a value (not undefined); the suite's timeout bounds it. */
export async function eventually<T>(probe: () => Promise<T | undefined>, everyMs = 50): Promise<T> {
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
