import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import {
  constants,
  createBrotliCompress,
  createGzip,
  type BrotliCompress,
  type Gzip,
} from 'node:zlib';
import type { FastifyReply } from 'fastify';
import { BROTLI_OPTIONS, negotiateEncoding, type Encoding } from '../common/http/compression.js';
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

/** Where the stream's text goes: the response itself, or a compressor flushed per message. */
interface SseSink {
  /** false: wait for 'drain' on `drainEmitter`. */
  write(text: string): boolean;
  drainEmitter: NodeJS.EventEmitter;
  end(): void;
}

/**
 * The response, compressed when the client asked (br or gzip): every message is flushed on
 * its own (gzip sync flush, brotli flush), so a reader decodes each event as it arrives, while
 * the coding's window still spans the stream (repeated field names cost little after the first).
 */
function openSink(raw: ServerResponse, encoding: Encoding | undefined): SseSink {
  if (!encoding)
    return { write: (text) => raw.write(text), drainEmitter: raw, end: () => raw.end() };
  const compressor: Gzip | BrotliCompress =
    encoding === 'br' ? createBrotliCompress(BROTLI_OPTIONS) : createGzip();
  // A compressor failing (the client gone mid-write) ends this stream only.
  compressor.on('error', () => raw.destroy());
  compressor.pipe(raw);
  const flushKind = encoding === 'br' ? constants.BROTLI_OPERATION_FLUSH : constants.Z_SYNC_FLUSH;
  return {
    write: (text) => {
      const more = compressor.write(text);
      compressor.flush(flushKind);
      return more;
    },
    drainEmitter: compressor,
    end: () => compressor.end(),
  };
}

/**
 * Writes the follower's events to the raw response until the client leaves or the follower is
 * closed (app shutdown), with a comment line every `heartbeatMs` for proxies and the client's
 * liveness check. The reply is hijacked: Fastify's onSend hooks (the compression plugin would
 * buffer the stream) stay out, so the stream compresses itself, flushed per message, and the
 * headers its onRequest hooks put on the reply (CORS, request id) are copied here
 * (nestjs/nest 8717: CORS missing on Fastify SSE).
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
  const encoding = negotiateEncoding(reply.request.headers['accept-encoding']);
  if (encoding) {
    headers['content-encoding'] = encoding;
    headers.vary = [headers.vary, 'accept-encoding'].filter(Boolean).join(', ');
  }
  reply.hijack();
  const raw = reply.raw;
  raw.writeHead(200, headers);
  const sink = openSink(raw, encoding);
  sink.write(`retry: ${RETRY_MS}\n\n`);
  const heartbeat = setInterval(() => sink.write(': heartbeat\n\n'), heartbeatMs);
  const leave = (): void => void follower.return();
  raw.once('close', leave);
  try {
    for await (const event of follower) {
      if (raw.destroyed) break;
      if (!sink.write(sseMessage(view(event))))
        await new Promise<void>((resolve) => {
          sink.drainEmitter.once('drain', resolve);
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
    if (!raw.destroyed) sink.end();
  }
}
