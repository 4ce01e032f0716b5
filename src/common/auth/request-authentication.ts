import type { FastifyRequest } from 'fastify';
import type { ApiKeyVerifier } from './api-key-verifier.js';
import { authenticate } from './authenticate.js';
import type { Authentication } from './caller.js';

/**
 * The request's one authentication: made on arrival by the request-context hook and kept in
 * its context; made here only for a request that has no context (unit tests of the guard).
 */
export function authenticationOf(
  request: Pick<FastifyRequest, 'headers' | 'gatewayContext'>,
  verifier: ApiKeyVerifier,
): Authentication {
  const context = request.gatewayContext;
  if (context?.auth) return context.auth;
  const authentication = authenticate(verifier, request.headers.authorization);
  if (context) context.auth = authentication;
  return authentication;
}
