import type { FastifyInstance } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';

const GRAPHQL_PATH = '/graphql';

/**
 * Helmet's default CSP already fits Swagger UI at /docs (scripts and CSS from 'self', inline
 * styles, data: images), so /docs keeps it. `upgrade-insecure-requests` is dropped: on a
 * plain-HTTP deployment (internal network, local runs) it would make browsers fetch the docs'
 * assets over https and fail.
 */
const OPTIONS: HelmetOptions = {
  contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } },
};

/**
 * Helmet's headers on every response. /graphql gets no CSP: Apollo's landing page runs an inline
 * script and loads Sandbox from Apollo's CDN, and its JSON answers gain nothing from one.
 *
 * helmet itself, built once per variant, in an onRequest hook: @fastify/helmet rebuilt helmet
 * (parsing the CSP directives) on every request, ~11 % of the gateway's CPU on a cached read.
 */
export function installSecurityHeaders(fastify: FastifyInstance): void {
  const everywhere = helmet(OPTIONS);
  const graphql = helmet({ ...OPTIONS, contentSecurityPolicy: false });
  fastify.addHook('onRequest', (request, reply, done) => {
    const apply = isUnder(request.routeOptions.url, GRAPHQL_PATH) ? graphql : everywhere;
    apply(request.raw, reply.raw, (error) => done(error instanceof Error ? error : undefined));
  });
}

function isUnder(url: string | undefined, path: string): boolean {
  return url === path || (url?.startsWith(`${path}/`) ?? false);
}
