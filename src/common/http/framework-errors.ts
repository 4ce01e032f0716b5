import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';

function errorBody(message: string): string {
  return JSON.stringify({ error: { code: 'BAD_USER_INPUT', message } });
}

/** Router-level failures (a path that is not valid percent-encoding) in the contract's shape. */
export function frameworkErrorHandler(
  error: FastifyError,
  _request: FastifyRequest,
  reply: FastifyReply,
): void {
  const message =
    error.code === 'FST_ERR_BAD_URL'
      ? 'path: is not valid percent-encoding'
      : 'the request could not be routed';
  void reply.code(400).type('application/json; charset=utf-8').send(errorBody(message));
}

/**
 * Requests Node's HTTP parser refuses before any route runs (headers or request line over
 * 16 KB, malformed HTTP) get the contract's error shape too, then the connection closes.
 */
export function clientErrorHandler(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
  const body = errorBody(
    status === 431 ? 'request line and headers must not exceed 16 KB' : 'malformed HTTP request',
  );
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
