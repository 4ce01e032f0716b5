import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import {
  newRequestContext,
  runWithRequestContext,
  type RequestContext,
} from './request-context.js';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

declare module 'fastify' {
  interface FastifyRequest {
    gatewayContext?: RequestContext;
  }
}

/**
 * Opens one RequestContext per HTTP request (X-Request-Id taken when well-formed, else made)
 * and runs the rest of the request inside it, so services can record what they did. The
 * request's deadline starts here: deadlineMs from its arrival.
 */
export function installRequestContext(fastify: FastifyInstance, deadlineMs: number): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    const header = request.headers['x-request-id'];
    const given = Array.isArray(header) ? header[0] : header;
    const context = newRequestContext(
      given && REQUEST_ID.test(given) ? given : randomUUID(),
      Date.now() + deadlineMs,
    );
    request.gatewayContext = context;
    void reply.header('x-request-id', context.requestId);
    runWithRequestContext(context, done);
  });
}
