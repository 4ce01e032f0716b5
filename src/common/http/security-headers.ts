import helmet from '@fastify/helmet';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { RouteOptions } from 'fastify';

const GRAPHQL_PATH = '/graphql';

/**
 * Helmet's headers on every response. Its default CSP already fits Swagger UI at /docs (scripts
 * and CSS from 'self', inline styles, data: images), so /docs keeps it. /graphql gets no CSP: Apollo's
 * landing page runs an inline script and loads Sandbox from Apollo's CDN, and its JSON answers gain
 * nothing from one. `upgrade-insecure-requests` is dropped: on a plain-HTTP deployment (internal
 * network, local runs) it would make browsers fetch the docs' assets over https and fail.
 */
export async function registerSecurityHeaders(app: NestFastifyApplication): Promise<void> {
  // Routes are declared later (app.init); this tags /graphql before helmet reads route config.
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRoute', (route: RouteOptions) => {
      if (isUnder(route.url, GRAPHQL_PATH)) {
        route.config = {
          ...(route.config as object),
          helmet: { contentSecurityPolicy: false },
        } as RouteOptions['config'];
      }
    });
  await app.register(helmet, {
    contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } },
  });
}

function isUnder(url: string | undefined, path: string): boolean {
  return url === path || (url?.startsWith(`${path}/`) ?? false);
}
