import fastifyCompress from '@fastify/compress';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { GatewayConfig } from '../../config/gateway-config.js';
import { setupGraphqlIde } from '../graphql/graphql-ide.js';
import { BROTLI_OPTIONS, ENCODINGS } from './compression.js';
import { setupOpenApi } from './openapi.js';

/**
 * App-level HTTP setup that is not a provider: response compression and CORS (Fastify plugins,
 * registered before Nest adds its routes, which they hook into), the OpenAPI docs and the
 * GraphQL IDE.
 */
export async function configureHttp(
  app: NestFastifyApplication,
  config: GatewayConfig,
): Promise<void> {
  // Answers kept for replay carry their own compressed variants (ResponseReplay); the plugin
  // compresses the rest. Request bodies are small JSON: no decompression.
  await app.register(fastifyCompress, {
    threshold: config.http.compressionThresholdBytes,
    encodings: [...ENCODINGS],
    brotliOptions: BROTLI_OPTIONS,
    globalDecompression: false,
    // NDJSON exports are not in mime-db's compressible list; they compress like JSON (streamed).
    customTypes: /^application\/x-ndjson(;|$)/,
  });
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
        'If-None-Match',
      ],
      exposedHeaders: [
        'X-Cache',
        'Age',
        'Warning',
        'X-Gateway-Stale',
        'Retry-After',
        'X-Request-Id',
        'ETag',
        'X-Data-Source',
      ],
      maxAge: 600,
    });
  }
  setupOpenApi(app);
  if (config.graphql.landingPage) await setupGraphqlIde(app);
}
