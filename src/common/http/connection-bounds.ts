import type { IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { GatewayConfig } from '../../config/gateway-config.js';

/** Fastify server options that bound how long a client may hold a connection. */
export interface ConnectionTimeoutOptions {
  requestTimeout: number;
  keepAliveTimeout: number;
  http: { requestTimeout: number; headersTimeout: number; connectionsCheckingInterval: number };
}

/**
 * Node enforces the headers and request timeouts only when it sweeps its connections, every
 * `connectionsCheckingInterval` (30 s by default): a slow client held a socket up to 30 s past
 * the bound. A tenth of the headers bound, within 100 ms..1 s, closes it near the bound; one
 * sweep is a walk over the connections still receiving a request.
 */
export function connectionsCheckingIntervalMs(headersTimeoutMs: number): number {
  return Math.min(1000, Math.max(100, Math.floor(headersTimeoutMs / 10)));
}

/**
 * Headers must arrive within the headers bound and the whole request (body included) within
 * REQUEST_TIMEOUT_MS, else 408 (see clientErrorHandler); an idle keep-alive connection closes
 * after the keep-alive bound (Fastify's own default is 72 s).
 */
export function connectionTimeouts(config: GatewayConfig): ConnectionTimeoutOptions {
  const requestTimeout = config.http.requestTimeoutMs;
  const { headersTimeoutMs, keepAliveTimeoutMs } = config.connections;
  return {
    requestTimeout,
    keepAliveTimeout: keepAliveTimeoutMs,
    // Node reads these when the server is created (Fastify sets requestTimeout only after).
    http: {
      requestTimeout,
      headersTimeout: headersTimeoutMs,
      connectionsCheckingInterval: connectionsCheckingIntervalMs(headersTimeoutMs),
    },
  };
}

/** A declared Content-Length over the limit: such a body is refused without reading it. */
export function declaresBodyOver(headers: IncomingHttpHeaders, limitBytes: number): boolean {
  const length = Number(headers['content-length']);
  return Number.isFinite(length) && length > limitBytes;
}

/**
 * Caps open connections, and answers `Expect: 100-continue` from Content-Length: Node sends
 * `100 Continue` before any route runs, so a client announcing a body over BODY_LIMIT_BYTES
 * started sending it and then lost the 413 to a reset. Such a request now gets no
 * `100 Continue`: its route answers 413 at once (Fastify's parser checks Content-Length
 * first) and Node closes the connection after it.
 */
export function limitConnections(server: Server, config: GatewayConfig): void {
  // Over the cap Node closes a new connection as soon as it is accepted.
  server.maxConnections = config.connections.maxConnections;
  server.on('checkContinue', (request: IncomingMessage, response: ServerResponse) => {
    if (!declaresBodyOver(request.headers, config.http.bodyLimitBytes)) response.writeContinue();
    server.emit('request', request, response);
  });
}
