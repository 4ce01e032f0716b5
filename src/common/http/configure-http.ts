import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { GatewayConfig } from '../../config/gateway-config.js';
import { setupGraphqlIde } from '../graphql/graphql-ide.js';
import { setupOpenApi } from './openapi.js';

/**
 * App-level HTTP setup that is not a provider: CORS (a Fastify plugin), the OpenAPI docs and the
 * GraphQL IDE.
 */
export async function configureHttp(
  app: NestFastifyApplication,
  config: GatewayConfig,
): Promise<void> {
  // Browsers get CORS only from listed origins; with none listed, no CORS header is ever sent.
  if (config.http.corsOrigins.length > 0) {
    app.enableCors({
      origin: [...config.http.corsOrigins],
      methods: ['GET', 'POST', 'PATCH', 'DELETE', 'OPTIONS'],
      allowedHeaders: [
        'Authorization',
        'Content-Type',
        'Idempotency-Key',
        'X-Request-Id',
        'Apollo-Require-Preflight',
      ],
      exposedHeaders: [
        'X-Cache',
        'Age',
        'Warning',
        'X-Gateway-Stale',
        'Retry-After',
        'X-Request-Id',
      ],
      maxAge: 600,
    });
  }
  setupOpenApi(app);
  if (config.graphql.landingPage) await setupGraphqlIde(app);
}
