import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ErrorCode } from '../errors/error-code.js';

function errorBody(code: ErrorCode, message: string): string {
  return JSON.stringify({ error: { code, message } });
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
  void reply
    .code(400)
    .type('application/json; charset=utf-8')
    .send(errorBody(ErrorCode.BAD_USER_INPUT, message));
}

export interface ClientErrorAnswer {
  status: number;
  code: ErrorCode;
  message: string;
}

/** What the gateway answers for an error Node's HTTP server raises before any route runs. */
export function clientErrorAnswer(errorCode: string | undefined): ClientErrorAnswer {
  switch (errorCode) {
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return {
        status: 408,
        code: ErrorCode.REQUEST_TIMEOUT,
        message: 'the request was not received in time',
      };
    case 'HPE_HEADER_OVERFLOW':
      return {
        status: 431,
        code: ErrorCode.BAD_USER_INPUT,
        message: 'request line and headers must not exceed 16 KB',
      };
    default:
      return { status: 400, code: ErrorCode.BAD_USER_INPUT, message: 'malformed HTTP request' };
  }
}

/** Connections the gateway closed with 408: an abort seen on one is its timeout, not the client. */
const timedOut = new WeakSet<Socket>();

export function closedOnTimeout(socket: Socket | null | undefined): boolean {
  return !!socket && timedOut.has(socket);
}

/**
 * Requests Node's HTTP parser refuses before any route runs (headers or request line over
 * 16 KB, malformed HTTP) and requests not received within the headers bound or
 * REQUEST_TIMEOUT_MS get the contract's error shape too, then the connection closes.
 */
export function clientErrorHandler(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const answer = clientErrorAnswer(error.code);
  const body = errorBody(answer.code, answer.message);
  const response =
    `HTTP/1.1 ${answer.status} ${STATUS_CODES[answer.status]}\r\n` +
    `Content-Type: application/json; charset=utf-8\r\n` +
    `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`;
  if (answer.status !== 408) {
    socket.end(response);
    return;
  }
  // The parser is still reading this request: closing at once keeps a late header or body
  // byte from ever reaching a route, as Node's own handler does (the answer is already queued).
  timedOut.add(socket);
  socket.write(response);
  socket.destroy();
}
