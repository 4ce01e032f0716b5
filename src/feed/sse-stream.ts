import type { OutgoingHttpHeaders } from 'node:http';
import type { FastifyReply } from 'fastify';
import type { StoredEvent } from '../mirror/mirror.store.js';
import type { CustomerEventView } from './customer-event-view.js';
import type { EventFollower } from './event-follower.js';

/** Browsers wait this long before reconnecting a dropped stream (with Last-Event-ID). */
const RETRY_MS = 2000;

/** Whether the client asked for Server-Sent Events rather than a JSON page. */
export function wantsEventStream(accept: string | undefined): boolean {
  return /(^|,)\s*text\/event-stream\s*(;|,|$)/i.test(accept ?? '');
}

/** One event as an SSE message: `id:` is its cursor, so a reconnect resumes after it. */
export function sseMessage(event: CustomerEventView): string {
  return `id: ${event.cursor}\ndata: ${JSON.stringify(event)}\n\n`;
}

/**
 * Writes the follower's events to the raw response until the client leaves or the follower is
 * closed (app shutdown), with a comment line every `heartbeatMs` for proxies and the client's
 * liveness check. The reply is hijacked: Fastify's onSend hooks (compression would buffer the
 * stream) stay out, so the headers its onRequest hooks put on the reply (CORS, request id) are
 * copied here (nestjs/nest 8717: CORS missing on Fastify SSE).
 */
export async function streamEvents(
  reply: FastifyReply,
  follower: EventFollower,
  view: (event: StoredEvent) => CustomerEventView,
  heartbeatMs: number,
  onError: (error: unknown) => void,
): Promise<void> {
  const headers: OutgoingHttpHeaders = {
    ...(reply.getHeaders() as OutgoingHttpHeaders),
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    // nginx buffers proxied answers unless told not to.
    'x-accel-buffering': 'no',
    // A stream lasts as long as its connection: one kept alive after it would hold shutdown.
    connection: 'close',
  };
  reply.hijack();
  const raw = reply.raw;
  raw.writeHead(200, headers);
  raw.write(`retry: ${RETRY_MS}\n\n`);
  const heartbeat = setInterval(() => raw.write(': heartbeat\n\n'), heartbeatMs);
  const leave = (): void => void follower.return();
  raw.once('close', leave);
  try {
    for await (const event of follower) {
      if (raw.destroyed) break;
      if (!raw.write(sseMessage(view(event))))
        await new Promise<void>((resolve) => {
          raw.once('drain', resolve);
          raw.once('close', resolve);
        });
    }
  } catch (error) {
    onError(error);
    // The status is sent: end the stream; the client reconnects with Last-Event-ID, losing nothing.
  } finally {
    clearInterval(heartbeat);
    raw.off('close', leave);
    await follower.return();
    if (!raw.destroyed) raw.end();
  }
}
