import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger as NestPinoLogger } from 'nestjs-pino';
import type { Logger } from 'pino';
import { AppModule } from './app.module.js';
import { configureHttp } from './common/http/configure-http.js';
import { connectionTimeouts, limitConnections } from './common/http/connection-bounds.js';
import { clientErrorHandler, frameworkErrorHandler } from './common/http/framework-errors.js';
import { createGatewayLogger } from './common/logging/gateway-logger.js';
import { GatewayConfig } from './config/gateway-config.js';
import type { WebhookClock } from './webhooks/webhook-clock.js';

export interface CreateAppOptions {
  /** A logger to use instead of one writing to stdout (tests capture lines with it). */
  logger?: Logger;
  /** The clock webhook schedules run on (tests advance a fake one through retries). */
  webhookClock?: WebhookClock;
}

/** Builds the gateway exactly as production runs it; e2e tests call this too. */
export async function createApp(
  config: GatewayConfig,
  options: CreateAppOptions = {},
): Promise<NestFastifyApplication> {
  const logger = options.logger ?? createGatewayLogger(config);
  const adapter = new FastifyAdapter({
    bodyLimit: config.http.bodyLimitBytes,
    ...connectionTimeouts(config),
    trustProxy: true,
    // Longer ids reach the validators and are refused by name, not by the router. Under
    // routerOptions: the top-level option is deprecated (FSTDEP022).
    routerOptions: { maxParamLength: 2048 },
    frameworkErrors: frameworkErrorHandler,
    clientErrorHandler,
  });
  limitConnections(adapter.getInstance().server, config);
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(config, logger, { webhookClock: options.webhookClock }),
    adapter,
    {
      bufferLogs: true,
      // Body parsing is ours (HttpPipelineModule's body parsers): JSON only, depth-bounded.
      bodyParser: false,
    },
  );
  app.useLogger(app.get(NestPinoLogger));
  await configureHttp(app, config);
  await app.init();
  return app;
}
