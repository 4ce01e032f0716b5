import type { FastifyInstance } from 'fastify';
import { GatewayError } from '../errors/gateway-error.js';
import { jsonShapeViolation } from './json-shape.js';

/**
 * JSON is the only body the gateway takes (form and text bodies get 415). Fastify's secure
 * parser refuses `__proto__`/`constructor` poisoning; on top, nesting depth and
 * prototype-named keys are refused before validation can trip on them.
 */
export function installBodyParsers(fastify: FastifyInstance): void {
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    parseJson(request, body.toString(), (error: Error | null, value?: unknown) => {
      if (error) return done(error, undefined);
      const violation = jsonShapeViolation(value);
      if (violation) return done(GatewayError.badInput([violation]), undefined);
      done(null, value);
    });
  });
}
