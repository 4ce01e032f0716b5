import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';

export interface DrainBounds {
  maxBytes: number;
  maxMs: number;
}

/**
 * How much of an unwanted request body is read and thrown away after the answer. Reading to
 * discard holds no memory; 16 MiB covers a client that sends a whole oversized body (10 MB in
 * issue 11) before it reads the answer, and 5 s a client on a slow link finishing what it had
 * in flight. Past either, the connection is reset and such a client may miss the answer.
 */
export const DRAIN_BOUNDS: DrainBounds = { maxBytes: 16 * 1024 * 1024, maxMs: 5000 };

/** The answer goes out while the client is still sending a body the gateway will not read. */
export function bodyStillArriving(request: IncomingMessage): boolean {
  if (request.complete) return false;
  const length = request.headers['content-length'];
  return request.headers['transfer-encoding'] !== undefined || (!!length && length !== '0');
}

type ClosingSocket = Socket & { destroySoon?: () => void };

/**
 * An answer given before the body was read (413 from Content-Length or past the limit, a
 * malformed body, an unknown route) closes the connection, but not at once. Node ends such a
 * response with `socket.destroySoon()`: FIN, then close; the bytes the client still sends then
 * reach a closed socket, the kernel resets the connection, and a client busy writing its body
 * (Node's fetch) gets EPIPE instead of the answer. So, as nginx's lingering close: send the
 * answer and FIN, read and discard the rest of the body, and close once it has arrived, the
 * client has closed, or a drain bound is reached.
 */
export function installLingeringClose(
  fastify: FastifyInstance,
  bounds: DrainBounds = DRAIN_BOUNDS,
): void {
  fastify.addHook('onSend', (request, reply, payload, done) => {
    if (bodyStillArriving(request.raw)) {
      void reply.header('connection', 'close');
      closeAfterDraining(request.raw, bounds);
    }
    done(null, payload);
  });
}

function closeAfterDraining(request: IncomingMessage, bounds: DrainBounds): void {
  const socket: ClosingSocket = request.socket;
  let drainedBytes = 0;
  let bodyDone = false;
  let answerFlushed = false;
  const close = (): void => {
    socket.destroy();
  };
  const closeWhenDone = (): void => {
    if (bodyDone && answerFlushed) close();
  };
  // Reading keeps the kernel from holding unread bytes, which would turn the close into a reset.
  request.on('data', (chunk: Buffer) => {
    drainedBytes += chunk.length;
    if (drainedBytes > bounds.maxBytes) close();
  });
  request.once('end', () => {
    bodyDone = true;
    closeWhenDone();
  });
  // Node calls this once the response is written, because it says `Connection: close`.
  socket.destroySoon = () => {
    const timer = setTimeout(close, bounds.maxMs);
    socket.once('close', () => clearTimeout(timer));
    socket.end(() => {
      answerFlushed = true;
      closeWhenDone();
    });
  };
}
