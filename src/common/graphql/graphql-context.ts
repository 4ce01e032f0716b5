import type { FastifyRequest } from 'fastify';
import type { RequestWithCaller } from '../auth/api-key.guard.js';

/** Apollo's per-request context: the Fastify request, which the ApiKeyGuard reads and marks. */
export interface GraphqlContext {
  req: FastifyRequest & RequestWithCaller;
}

/** Apollo's fastify integration calls the context function with (request, reply). */
export function graphqlContextOf(request: FastifyRequest): GraphqlContext {
  return { req: request as GraphqlContext['req'] };
}
